namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>The shipped list of sensitive names matches whole words of a property's name.</summary>
public sealed class SensitivePropertyNamesTests
{
    private static readonly SensitivePropertyNames Defaults = new(new ChangeCaptureOptions().SensitiveNames);

    [Theory]
    [InlineData("Password")]
    [InlineData("PasswordHash")]
    [InlineData("password_hash")]
    [InlineData("ApiToken")]
    [InlineData("APIToken")]
    [InlineData("RefreshTokens")]
    [InlineData("card_number")]
    [InlineData("CardNumber")]
    [InlineData("Payment.CardNumber")]
    [InlineData("Ssn")]
    [InlineData("SSN")]
    [InlineData("client-secret")]
    [InlineData("Pin")]
    [InlineData("PinCode")]
    [InlineData("Cvv2")]
    [InlineData("Iban")]
    [InlineData("Salt")]
    public void Sensitive_names_match(string name) => Assert.True(Defaults.Matches(name));

    [Theory]
    [InlineData("Spinner")]
    [InlineData("Tokenizer")]
    [InlineData("Hashtag")]
    [InlineData("CardHolder")]
    [InlineData("NumberOfCards")]
    [InlineData("Saltwater")]
    [InlineData("Title")]
    public void Other_names_do_not(string name) => Assert.False(Defaults.Matches(name));

    [Theory]
    [InlineData("PasswordHash", new[] { "Password", "Hash" })]
    [InlineData("APIToken2", new[] { "API", "Token", "2" })]
    [InlineData("card_number", new[] { "card", "number" })]
    [InlineData("Address.City", new[] { "Address", "City" })]
    public void Names_split_into_words(string name, string[] words) => Assert.Equal(words, SensitivePropertyNames.Words(name));

    [Fact]
    public void Added_phrases_match_too() =>
        Assert.True(new SensitivePropertyNames(["date of birth"]).Matches("DateOfBirth"));
}
