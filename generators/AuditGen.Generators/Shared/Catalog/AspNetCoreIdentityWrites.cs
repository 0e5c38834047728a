namespace AuditGen.Generators;

/// <summary>
/// ASP.NET Core Identity: the <c>UserManager</c>/<c>RoleManager</c> methods that change a stored user or role, and the
/// <c>SignInManager</c> methods that change stored data (a redeemed recovery code, external tokens). Finding users,
/// checking passwords, generating tokens and signing in or out (a cookie, not a stored change) are reads.
/// </summary>
internal static class AspNetCoreIdentityWrites
{
    public static readonly DataAccessFamily Family = new("ASP.NET Core Identity",
    [
        new("Microsoft.AspNetCore.Identity.UserManager`1",
        [
            "CreateAsync", "UpdateAsync", "DeleteAsync", "AddPasswordAsync", "ChangePasswordAsync", "RemovePasswordAsync", "ResetPasswordAsync",
            "AddToRoleAsync", "AddToRolesAsync", "RemoveFromRoleAsync", "RemoveFromRolesAsync", "AddClaimAsync", "AddClaimsAsync",
            "RemoveClaimAsync", "RemoveClaimsAsync", "ReplaceClaimAsync", "AddLoginAsync", "RemoveLoginAsync", "SetUserNameAsync",
            "SetEmailAsync", "ConfirmEmailAsync", "ChangeEmailAsync", "SetPhoneNumberAsync", "ChangePhoneNumberAsync",
            "SetLockoutEnabledAsync", "SetLockoutEndDateAsync", "AccessFailedAsync", "ResetAccessFailedCountAsync",
            "SetTwoFactorEnabledAsync", "ResetAuthenticatorKeyAsync", "GenerateNewTwoFactorRecoveryCodesAsync",
            "RedeemTwoFactorRecoveryCodeAsync", "SetAuthenticationTokenAsync", "RemoveAuthenticationTokenAsync",
            "UpdateSecurityStampAsync", "UpdateNormalizedEmailAsync", "UpdateNormalizedUserNameAsync",
        ]),
        new("Microsoft.AspNetCore.Identity.RoleManager`1",
            ["CreateAsync", "UpdateAsync", "DeleteAsync", "SetRoleNameAsync", "AddClaimAsync", "RemoveClaimAsync", "UpdateNormalizedRoleNameAsync"]),
        new("Microsoft.AspNetCore.Identity.SignInManager`1", ["TwoFactorRecoveryCodeSignInAsync", "UpdateExternalAuthenticationTokensAsync"]),
    ]);
}
