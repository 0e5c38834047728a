using AuditGen;
using AuditGen.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the activity log in PostgreSQL.</summary>
public static class PostgreSqlActivityLogBuilderExtensions
{
    /// <summary>
    /// Stores records in PostgreSQL (schema <c>auditgen</c> unless configured; created on first use), resolvable as
    /// <see cref="PostgreSqlActivityLogRepo"/> too.
    /// </summary>
    /// <param name="builder">The activity log builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Adjusts the schema name and schema creation.</param>
    /// <returns>The builder.</returns>
    public static ActivityLogBuilder UsePostgreSql(this ActivityLogBuilder builder, string connectionString, Action<PostgreSqlActivityLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlActivityLogOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        builder.Services.TryAddSingleton(sp => new PostgreSqlActivityLogRepo(options, sp.GetService<TimeProvider>()));
        return builder.UseStore(static sp => sp.GetRequiredService<PostgreSqlActivityLogRepo>());
    }
}
