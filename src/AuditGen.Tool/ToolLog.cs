using AuditGen.Integrity;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;

namespace AuditGen.Tool;

/// <summary>The log a command names (<c>--sqlite FILE</c> or <c>--postgres "CONNECTION" --schema S</c>) and where its checkpoint files are.</summary>
internal static class ToolLog
{
    /// <summary>Opens the store, read-only for commands that only read; returns null (with the message) when the file is missing.</summary>
    public static (IActivityLogRepo? Log, string BasePath, string? Problem) Open(FileInfo? sqlite, string? postgres, string schema, bool readOnly)
    {
        if (sqlite is { } file)
        {
            return file.Exists
                ? (new SqliteActivityLogRepo(new SqliteActivityLogOptions
                {
                    ConnectionString = $"Data Source={file.FullName}" + (readOnly ? ";Mode=ReadOnly" : ""),
                    CreateSchema = !readOnly,
                }), file.FullName, null)
                : (null, "", $"--sqlite: there is no file {file.FullName}.");
        }

        return (new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = postgres!, Schema = schema, CreateSchema = !readOnly }),
            ActivityCheckpointFiles.ForPostgreSql(postgres!, schema), null);
    }
}
