using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Adds <see cref="ActivityChangeInterceptor"/> and <see cref="ActivityBulkWriteCommandInterceptor"/> to <typeparamref name="TContext"/>'s options, however the application
/// registered the context (<c>AddDbContext</c>, pooled, or a factory): EF Core applies every registered
/// <see cref="IDbContextOptionsConfiguration{TContext}"/> when it builds the context's options.
/// </summary>
internal sealed class ActivityChangeCaptureConfiguration<TContext> : IDbContextOptionsConfiguration<TContext>
    where TContext : DbContext
{
    public void Configure(IServiceProvider serviceProvider, DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(ActivityChangeInterceptor.Instance, ActivityBulkWriteCommandInterceptor.Instance);
}
