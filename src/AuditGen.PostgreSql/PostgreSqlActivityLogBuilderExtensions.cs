using AuditGen.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the activity log in PostgreSQL.</summary>
public static class PostgreSqlActivityLogBuilderExtensions
{
    /// <summary>
    /// Stores records in PostgreSQL (schema <c>auditgen</c> unless configured; created on first use), resolvable as
    /// <see cref="PostgreSqlActivityLogRepo"/> too. Replaces any store chosen before.
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
        // Replace, not TryAdd: a second UsePostgreSql names the database the log really uses.
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new PostgreSqlActivityLogRepo(options, sp.GetService<TimeProvider>())));
        return builder.UseDurableStore(static sp => sp.GetRequiredService<PostgreSqlActivityLogRepo>());
    }

    /// <summary>
    /// Stores records in PostgreSQL through the application's own <see cref="NpgsqlDataSource"/>, resolved from the container
    /// (registered with <c>AddNpgsqlDataSource</c> or by hand), resolvable as <see cref="PostgreSqlActivityLogRepo"/> too.
    /// Replaces any store chosen before.
    /// </summary>
    /// <param name="builder">The activity log builder.</param>
    /// <param name="configure">Adjusts the schema name and schema creation.</param>
    /// <returns>The builder.</returns>
    public static ActivityLogBuilder UsePostgreSql(this ActivityLogBuilder builder, Action<PostgreSqlActivityLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PostgreSqlActivityLogOptions();
        configure?.Invoke(options);
        builder.Services.Replace(ServiceDescriptor.Singleton(sp =>
            new PostgreSqlActivityLogRepo(sp.GetRequiredService<NpgsqlDataSource>(), options, sp.GetService<TimeProvider>())));
        return builder.UseDurableStore(static sp => sp.GetRequiredService<PostgreSqlActivityLogRepo>());
    }
}
