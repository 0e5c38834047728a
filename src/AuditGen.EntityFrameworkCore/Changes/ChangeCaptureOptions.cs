namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// What the EF Core store captures from the <c>SaveChanges</c> calls of a logged use case
/// (<see cref="EntityFrameworkCoreActivityLogOptions.Changes"/>), and what it never copies into the log.
/// </summary>
public sealed class ChangeCaptureOptions
{
    /// <summary>The default for <see cref="MaxValueLength"/>: 1,000 characters.</summary>
    public const int DefaultMaxValueLength = 1_000;

    /// <summary>The largest <see cref="MaxValueLength"/> accepted: 100,000 characters.</summary>
    public const int MaxValueLengthLimit = 100_000;

    /// <summary>The default for <see cref="MaxEntitiesPerRecord"/>: 1,000 entities.</summary>
    public const int DefaultMaxEntitiesPerRecord = 1_000;

    /// <summary>
    /// The metadata key a record carries, with the value <see langword="true"/>, when the use case changed more entities
    /// than <see cref="MaxEntitiesPerRecord"/> and its <see cref="ActivityRecord.Changes"/> list only the first of them.
    /// </summary>
    public const string TruncatedKey = "auditgen.changes.truncated";

    /// <summary>
    /// The metadata key of a truncated record's count of the entities its use case changed in all, listed or not
    /// (an <see cref="int"/>); present only with <see cref="TruncatedKey"/>.
    /// </summary>
    public const string TotalKey = "auditgen.changes.total";

    /// <summary>
    /// Capture entity changes into the use case's record (default). Off: records carry only the changes set by hand, and
    /// no interceptor is added to the context.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Words and phrases that mark a property as sensitive: its change is recorded with both values withheld
    /// (<see cref="PropertyChange.Withheld"/>). A property matches when its name, split into words (PascalCase, camelCase,
    /// snake_case, kebab-case, digits, and the dots of <c>Owner.Property</c>), contains the entry's words one after the
    /// other, compared case-insensitively; the entry's last word also matches its plural with <c>s</c>. So <c>hash</c>
    /// matches <c>PasswordHash</c> and <c>password_hash</c>, <c>card number</c> matches <c>CardNumber</c> and
    /// <c>card_number</c>, <c>pin</c> matches <c>Pin</c> and <c>PinCode</c> but not <c>Spinner</c>, and <c>token</c>
    /// matches <c>ApiToken</c> and <c>RefreshTokens</c> but not <c>Tokenizer</c>. Ships with password, secret, token,
    /// hash, salt, pin, cvv, iban, card number and ssn; add to it, or clear it to rely on
    /// <see cref="NotAuditedAttribute"/> alone.
    /// </summary>
    public IList<string> SensitiveNames { get; } =
        ["password", "secret", "token", "hash", "salt", "pin", "cvv", "iban", "card number", "ssn"];

    /// <summary>
    /// Properties whose values are personal data besides those marked <see cref="PersonalDataAttribute"/> (AuditGen's or
    /// ASP.NET Core Identity's): a recorded property name (<c>Email</c>, <c>Address.City</c>) for that property of every
    /// entity, or <c>Entity.Property</c> (<c>Customer.Email</c>) for one entity's, compared case-insensitively. Their values
    /// are recorded sealed under the data subject's key — the entity's <see cref="DataSubjectAttribute"/> property, else the
    /// record's owner — and become unreadable when that subject is erased (docs/personal-data.md).
    /// </summary>
    public IList<string> PersonalDataNames { get; } = [];

    /// <summary>
    /// The longest text value recorded, in characters (default <see cref="DefaultMaxValueLength"/>, 1 to
    /// <see cref="MaxValueLengthLimit"/>): a longer value is cut to its beginning and marked
    /// <see cref="PropertyChange.Truncated"/>. Binary values are never copied: they are recorded as
    /// <c>sha256:&lt;64 hex digits&gt; (&lt;n&gt; bytes)</c>.
    /// </summary>
    public int MaxValueLength { get; set; } = DefaultMaxValueLength;

    /// <summary>
    /// The most entity changes a captured record lists (default <see cref="DefaultMaxEntitiesPerRecord"/>, at least 1).
    /// A use case that changes more (an <c>ExecuteUpdate</c> over many rows, a large save) records the first ones, and its
    /// record's metadata says it was cut: <see cref="TruncatedKey"/> true and <see cref="TotalKey"/> the number of
    /// entities changed in all. Changes set by hand are never dropped.
    /// </summary>
    public int MaxEntitiesPerRecord { get; set; } = DefaultMaxEntitiesPerRecord;

    /// <summary>Checks the settings.</summary>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A setting breaks its rule; the message names it.</exception>
    internal ChangeCaptureOptions Validated()
    {
        if (MaxValueLength is < 1 or > MaxValueLengthLimit)
        {
            throw new ArgumentException(
                $"ChangeCaptureOptions.MaxValueLength must be 1-{MaxValueLengthLimit} characters; it is {MaxValueLength}.", nameof(MaxValueLength));
        }

        if (MaxEntitiesPerRecord < 1)
        {
            throw new ArgumentException(
                $"ChangeCaptureOptions.MaxEntitiesPerRecord must be at least 1; it is {MaxEntitiesPerRecord}.", nameof(MaxEntitiesPerRecord));
        }

        for (int i = 0; i < SensitiveNames.Count; i++)
        {
            if (SensitiveNames[i] is not { } name || SensitivePropertyNames.Words(name).Count == 0)
            {
                throw new ArgumentException(
                    $"ChangeCaptureOptions.SensitiveNames[{i}] must have at least one word (letters or digits); it is {(SensitiveNames[i] is null ? "null" : $"\"{SensitiveNames[i]}\"")}.",
                    nameof(SensitiveNames));
            }
        }

        return this;
    }
}
