using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

public sealed class ConfigurationTests
{
    private static readonly Guid Alice = ApiFixture.Alice;
    private static readonly Guid Bob = ApiFixture.Bob;

    [Fact]
    public async Task Map_without_AddActivityLogApi_says_what_to_call()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddActivityLog();
        await using WebApplication app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapActivityLogApi());
        Assert.Contains("AddActivityLogApi()", ex.Message);
    }

    [Theory]
    [InlineData("scope", "openid audit:read profile", true)]
    [InlineData("scp", "audit:read", true)]
    [InlineData("scope", "audit:reader", false)]
    [InlineData("scope", "audit:write", false)]
    [InlineData("role", "audit:read", false)]
    public async Task Default_read_policy_requires_the_scope(string claimType, string value, bool allowed)
    {
        await using ApiHost host = await ApiHost.StartAsync();
        string token = ApiHost.Token(new Dictionary<string, object> { ["sub"] = Alice.ToString(), [claimType] = value });

        using HttpResponseMessage response = await host.GetAsync($"/v1/audit/actors/{Bob}/activities", token);

        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_application_policy_of_that_name_is_kept_and_names_are_configurable()
    {
        await using ApiHost host = await ApiHost.StartAsync(
            services => services.AddAuthorizationBuilder().AddPolicy("auditors", p => p.RequireClaim("app_role", "auditor")),
            api => api.ReadPolicy = "auditors");
        string auditor = ApiHost.Token(new Dictionary<string, object> { ["sub"] = Alice.ToString(), ["app_role"] = "auditor" });
        string scoped = ApiHost.Token(Alice, "audit:read");

        using HttpResponseMessage byRole = await host.GetAsync($"/v1/audit/owners/{Bob}/activities", auditor);
        using HttpResponseMessage byScope = await host.GetAsync($"/v1/audit/owners/{Bob}/activities", scoped);

        Assert.Equal(HttpStatusCode.OK, byRole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byScope.StatusCode);
    }

    [Fact]
    public async Task The_user_id_claim_is_configurable()
    {
        await using ApiHost host = await ApiHost.StartAsync(configureApi: api => api.UserIdClaimType = "uid");
        string token = ApiHost.Token(new Dictionary<string, object> { ["sub"] = "someone-else", ["uid"] = Alice.ToString() });

        using HttpResponseMessage own = await host.GetAsync($"/v1/audit/owners/{Alice}/activities", token);
        using HttpResponseMessage other = await host.GetAsync($"/v1/audit/owners/{Bob}/activities", token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task AddActivityLogApi_registers_the_claims_actor_accessor()
    {
        await using ApiHost host = await ApiHost.StartAsync();
        IActorAccessor accessor = host.Services.GetRequiredService<IActorAccessor>();
        Assert.IsType<ClaimsActorAccessor>(accessor);

        // Outside a request there is no actor.
        Assert.Null(accessor.CurrentActorId);
    }

    public static TheoryData<string?, Claim[], Guid?> Users() => new()
    {
        { null, [new Claim("sub", Alice.ToString())], Alice },
        { null, [new Claim(ClaimTypes.NameIdentifier, Alice.ToString())], Alice },
        { null, [new Claim("sub", Alice.ToString()), new Claim(ClaimTypes.NameIdentifier, Bob.ToString())], Alice },
        { null, [new Claim("name", "alice")], null },
        { "oid", [new Claim("sub", Bob.ToString()), new Claim("oid", Alice.ToString())], Alice },
        { "oid", [new Claim("sub", Bob.ToString())], null },
    };

    [Theory]
    [MemberData(nameof(Users))]
    public void Actor_accessor_reads_sub_then_name_identifier_or_the_configured_claim(string? claimType, Claim[] claims, Guid? expected)
    {
        ClaimsActorAccessor accessor = Accessor(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")), claimType);

        Assert.Equal(expected, accessor.CurrentActorId);
    }

    [Fact]
    public void Actor_accessor_has_no_actor_for_an_anonymous_user()
    {
        ClaimsActorAccessor accessor = Accessor(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", Alice.ToString())])), null);

        Assert.Null(accessor.CurrentActorId);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Actor_accessor_refuses_an_id_claim_that_is_not_a_guid(string value)
    {
        ClaimsActorAccessor accessor = Accessor(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", value)], "test")), null);

        var ex = Assert.Throws<InvalidOperationException>(() => accessor.CurrentActorId);
        Assert.Contains("'sub' claim", ex.Message);
        Assert.Contains(nameof(ActivityLogApiOptions.UserIdClaimType), ex.Message);
    }

    [Fact]
    public void Options_are_validated_when_read()
    {
        using ServiceProvider services = new ServiceCollection().AddActivityLogApi(o => o.ReadPolicy = " ").BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ActivityLogApiOptions>>().Value);
        Assert.Contains("ReadPolicy", ex.Message);
    }

    private static ClaimsActorAccessor Accessor(ClaimsPrincipal user, string? claimType) =>
        new(new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = user } },
            Microsoft.Extensions.Options.Options.Create(new ActivityLogApiOptions { UserIdClaimType = claimType }));
}
