using AuditGen;
using AuditGen.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the activity log's read API and the claims-based actor.</summary>
public static class ActivityLogApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapActivityLogApi</c> needs: options, authorization, the read policy (unless the application
    /// defines a policy of that name itself) and <see cref="ClaimsActorAccessor"/> as the <see cref="IActorAccessor"/>
    /// (unless one is registered). The activity log itself comes from <c>AddActivityLog</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the policy name, the scope and the user id claim.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddActivityLogApi(this IServiceCollection services, Action<ActivityLogApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<ActivityLogApiOptions> options = services.AddOptions<ActivityLogApiOptions>()
            .Validate(static o => !string.IsNullOrWhiteSpace(o.ReadPolicy), $"{nameof(ActivityLogApiOptions.ReadPolicy)} must name a policy.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.ReadScope), $"{nameof(ActivityLogApiOptions.ReadScope)} must not be blank.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.RetentionPolicy), $"{nameof(ActivityLogApiOptions.RetentionPolicy)} must name a policy.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.ErasePolicy), $"{nameof(ActivityLogApiOptions.ErasePolicy)} must name a policy.")
            .Validate(static o => o.UserIdClaimType is null || o.UserIdClaimType.Trim().Length > 0,
                $"{nameof(ActivityLogApiOptions.UserIdClaimType)} must be null (sub, then the name identifier) or a claim type.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().PostConfigure<IOptions<ActivityLogApiOptions>>(static (authorization, api) =>
        {
            ActivityLogApiOptions o = api.Value;
            if (authorization.GetPolicy(o.ReadPolicy) is null)
            {
                string scope = o.ReadScope;
                authorization.AddPolicy(o.ReadPolicy, policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => ActivityLogApiScopes.HasScope(context.User, scope)));
            }

            if (authorization.GetPolicy(o.RetentionPolicy) is null)
            {
                string scope = o.RetentionPolicy;
                authorization.AddPolicy(o.RetentionPolicy, policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => ActivityLogApiScopes.HasScope(context.User, scope)));
            }

            if (authorization.GetPolicy(o.ErasePolicy) is null)
            {
                string scope = o.ErasePolicy;
                authorization.AddPolicy(o.ErasePolicy, policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => ActivityLogApiScopes.HasScope(context.User, scope)));
            }
        });

        services.AddHttpContextAccessor();
        services.TryAddSingleton<IActorAccessor, ClaimsActorAccessor>();
        services.TryAddSingleton<ActivityLogApiMarker>();
        return services;
    }
}
