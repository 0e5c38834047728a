using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    /// <param name="configure">Adjusts the PostgreSQL schema name, schema creation and change capture.</param>
    /// <remarks>
    /// Adds a save-changes interceptor to <typeparamref name="TContext"/>'s options (through EF Core's
    /// <c>IDbContextOptionsConfiguration</c>, so the <c>AddDbContext</c> call stays as it is): every <c>SaveChanges</c>
    /// inside a logged use case's unit of work contributes its entity changes to the use case's record
    /// (<see cref="EntityFrameworkCoreActivityLogOptions.Changes"/>). Saves outside a logged use case are untouched.
    /// </remarks>
    /// <exception cref="ArgumentException">A change capture setting breaks its rule.</exception>
    /// <returns>The builder.</returns>
    public static ActivityLogBuilder UseEntityFrameworkCore<TContext>(this ActivityLogBuilder builder, Action<EntityFrameworkCoreActivityLogOptions>? configure = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new EntityFrameworkCoreActivityLogOptions();
        configure?.Invoke(options);
        options.Changes.Validated();
        if (options.Changes.Enabled && !builder.Services.Any(static d => d.ServiceType == typeof(IDbContextOptionsConfiguration<TContext>) &&
                d.ImplementationType == typeof(ActivityChangeCaptureConfiguration<TContext>)))
        {
            // Into the application's own context options, without touching its AddDbContext call.
            builder.Services.AddSingleton<IDbContextOptionsConfiguration<TContext>, ActivityChangeCaptureConfiguration<TContext>>();
        }

        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new DbContextActivityLogState<TContext>(options, sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        builder.Services.Replace(ServiceDescriptor.Scoped(static sp =>
            new DbContextActivityLogRepo<TContext>(sp.GetRequiredService<TContext>(), sp.GetRequiredService<DbContextActivityLogState<TContext>>().State)));
        return builder.UseDurableStore(static sp => sp.GetRequiredService<DbContextActivityLogRepo<TContext>>(), ServiceLifetime.Scoped);
    }
}
