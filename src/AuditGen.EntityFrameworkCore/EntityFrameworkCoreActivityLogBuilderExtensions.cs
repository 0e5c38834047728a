using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the activity log in the application's own <see cref="DbContext"/>.</summary>
public static class EntityFrameworkCoreActivityLogBuilderExtensions
{
    /// <summary>
    /// Stores records through the application's <typeparamref name="TContext"/> (SQLite or PostgreSQL), in the same
    /// transaction as the changes it saves. The store, and so the pipeline, is scoped like the context: a logged use case
    /// resolved in a scope appends through that scope's context. Replaces any store chosen before; resolvable as
    /// <see cref="DbContextActivityLogRepo{TContext}"/> too.
    /// </summary>
    /// <typeparam name="TContext">The application's context, registered with <c>AddDbContext</c>.</typeparam>
    /// <param name="builder">The activity log builder.</param>
    /// <param name="configure">Adjusts the PostgreSQL schema name and schema creation.</param>
    /// <returns>The builder.</returns>
    public static ActivityLogBuilder UseEntityFrameworkCore<TContext>(this ActivityLogBuilder builder, Action<EntityFrameworkCoreActivityLogOptions>? configure = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new EntityFrameworkCoreActivityLogOptions();
        configure?.Invoke(options);
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new DbContextActivityLogState<TContext>(options, sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        builder.Services.Replace(ServiceDescriptor.Scoped(static sp =>
            new DbContextActivityLogRepo<TContext>(sp.GetRequiredService<TContext>(), sp.GetRequiredService<DbContextActivityLogState<TContext>>().State)));
        return builder.UseDurableStore(static sp => sp.GetRequiredService<DbContextActivityLogRepo<TContext>>(), ServiceLifetime.Scoped);
    }
}
