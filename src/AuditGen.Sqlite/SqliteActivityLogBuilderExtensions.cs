using AuditGen.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the activity log in SQLite.</summary>
public static class SqliteActivityLogBuilderExtensions
{
    /// <summary>
    /// Stores records in the SQLite database of <paramref name="connectionString"/> (created on first use), which can
    /// also be resolved as <see cref="SqliteActivityLogRepo"/>. Replaces any store chosen before.
    /// </summary>
    /// <param name="builder">The activity log builder.</param>
    /// <param name="connectionString">Such as <c>Data Source=audit.db</c>.</param>
    /// <param name="configure">Adjusts durability and schema creation.</param>
    /// <returns>The builder.</returns>
    public static ActivityLogBuilder UseSqlite(this ActivityLogBuilder builder, string connectionString, Action<SqliteActivityLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqliteActivityLogOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        // Replace, not TryAdd: a second UseSqlite names the database the log really uses.
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteActivityLogRepo(options, sp.GetService<TimeProvider>())));
        return builder.UseDurableStore(static sp => sp.GetRequiredService<SqliteActivityLogRepo>());
    }
}
