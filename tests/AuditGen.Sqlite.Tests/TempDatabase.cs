using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>A real SQLite file in a fresh folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    /// <summary>tmpfs where there is one: same SQLite semantics, without paying for fsync in every test.</summary>
    private static readonly string FastRoot = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    public TempDatabase(bool onDisk = false)
    {
        Folder = System.IO.Path.Combine(onDisk ? System.IO.Path.GetTempPath() : FastRoot, "auditgen-sqlite-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Folder);
        FilePath = System.IO.Path.Combine(Folder, "audit.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
