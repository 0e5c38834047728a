using AuditGen;
using AuditGen.AspNetCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ASP.NET Core Data Protection as the key-encryption key of the activity log's personal data.</summary>
public static class ActivityLogDataProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Wraps data subjects' keys with ASP.NET Core Data Protection (<see cref="DataProtectionActivityKeyEncryptionKey"/>) instead
    /// of the key file beside the database. Opt-in, because every process that reads the log (the app, a worker) must then
    /// share the Data Protection key ring; <c>auditgen rotate-kek</c> works with key files only.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddActivityLogDataProtection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDataProtection();
        services.Replace(ServiceDescriptor.Singleton<IActivityKeyEncryptionKey>(static sp =>
            new DataProtectionActivityKeyEncryptionKey(sp.GetRequiredService<IDataProtectionProvider>())));
        return services;
    }
}
