using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// What the capture keeps of each value and its settings: sensitive values withheld, long ones cut, binary ones digested,
/// personal ones sealed under their subject's key, and invalid settings refused.
/// </summary>
public abstract class ChangeCaptureValueTests(string provider) : ChangeCaptureTestBase(provider)
{
    [Fact]
    public async Task Sensitive_values_are_withheld_long_ones_cut_and_binary_ones_recorded_as_their_digest()
    {
        await using ServiceProvider services = Services(options: o => o.Changes.MaxValueLength = 100);
        int id = await SeedAsync(services);
        const string Secret = "hunter2-S3CR3T-VALUE";
        string bio = new string('b', 150);
        byte[] photo = [1, 2, 3, 4];

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.PasswordHash = Secret;
            customer.Notes = Secret + "-notes";
            customer.Bio = bio;
            customer.Photo = photo;
            customer.Email = "changed@example.com"; // the old email stays only in the log: the scan's control
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id);
        Assert.Equal(PropertyChange.WithheldChange("PasswordHash"), Property(change, "PasswordHash")); // by name
        Assert.Equal(PropertyChange.WithheldChange("Notes"), Property(change, "Notes")); // [NotAudited]
        Assert.Equal(new PropertyChange("Bio", null, bio[..100]) { Truncated = true }, Property(change, "Bio"));
        Assert.Equal(new PropertyChange("Photo", null, $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo))} (4 bytes)"),
            Property(change, "Photo"));

        if (Database.Provider == "sqlite")
        {
            // Overwrite the application's copy, then rewrite the file so no stale page keeps it: what is left is the log's.
            await UnloggedAsync(services, async db => await db.Database.ExecuteSqlRawAsync("UPDATE customers SET PasswordHash = 'x', Notes = 'x'"));
            byte[] bytes = await SqliteFileBytesAsync();
            Assert.True(bytes.AsSpan().IndexOf("ada@example.com"u8) >= 0); // the scan sees the log's values
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0);
        }
        else
        {
            Assert.True(await LogTableContainsAsync(services, "ada@example.com"));
            Assert.False(await LogTableContainsAsync(services, Secret));
        }
    }

    [Fact]
    public async Task Personal_properties_are_stored_sealed_under_the_owner_open_while_the_key_exists_and_read_as_erased_after()
    {
        const string Secret = "ada-personal-7f3e@example.org";
        await using ServiceProvider services = Services(options: o => o.Changes.PersonalDataNames.Add("Customer.Email"));
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.Email = Secret;
            customer.Visits = 1;
            await db.SaveChangesAsync();
        }, ActivityRecord.Create(Alice, Alice, "edit_customer", new EntityRef("Customer", "x"),
            new Dictionary<string, object?> { ["email"] = new PersonalValue(Alice, Secret) }));

        // Stored sealed under the owner's key (the record's owner is the default subject); what is not personal stays clear.
        ActivityRecord stored = Assert.Single(await StoredAsync(services));
        EntityChange change = ChangeOf(stored, "Customer", id);
        Assert.Equal(Alice, Assert.IsType<SealedValue>(Property(change, "Email").OldValue).SubjectId);
        Assert.Equal(Alice, Assert.IsType<SealedValue>(Property(change, "Email").NewValue).SubjectId);
        Assert.Equal(new PropertyChange("Visits", 0, 1), Property(change, "Visits"));
        Assert.IsType<SealedValue>(stored.Metadata["email"]);
        if (Database.Provider == "sqlite")
        {
            // Overwrite the application's copy, then rewrite the file so no stale page keeps it: what is left is the log's.
            await UnloggedAsync(services, async db => await db.Database.ExecuteSqlRawAsync("UPDATE customers SET Email = 'x'"));
            byte[] bytes = await SqliteFileBytesAsync();
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0);
        }
        else
        {
            Assert.False(await LogTableContainsAsync(services, Secret));
        }

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ActivitySubjectKeys keys = scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>();
            ActivityRecord open = await keys.UnsealAsync(stored);
            Assert.Equal(new PropertyChange("Email", new PersonalValue(Alice, "ada@example.com"), new PersonalValue(Alice, Secret)),
                Property(ChangeOf(open, "Customer", id), "Email"));
            Assert.Equal(new PersonalValue(Alice, Secret), open.Metadata["email"]);

            // Erasure deletes the key beside the log (the EF store's database) and records itself; the record stays.
            ActivityRecord erasure = await keys.EraseSubjectAsync(Alice, "article 17 request", Alice);
            Assert.Equal(3L, Convert.ToInt64(erasure.Metadata["valuesErased"], System.Globalization.CultureInfo.InvariantCulture));
        }

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ActivityRecord erased = await scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>().UnsealAsync(stored);
            Assert.Equal(new ErasedValue(Alice), Property(ChangeOf(erased, "Customer", id), "Email").NewValue);
            Assert.Equal(new ErasedValue(Alice), erased.Metadata["email"]);
            Assert.Equal(2, (await StoredAsync(services)).Count);
        }
    }

    [Fact]
    public async Task A_subject_key_made_in_a_unit_of_work_that_rolls_back_never_seals_a_later_value()
    {
        await using ServiceProvider services = Services();
        ActivityRecord existing = Record();
        await LoggedAsync(services, _ => Task.CompletedTask, existing);
        Guid subject = Guid.NewGuid();

        await using AsyncServiceScope scope = services.CreateAsyncScope(); // one scope: one ActivityLog and its key cache
        IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        await using (ActivityTransaction failing = await ActivityTransaction.BeginAsync(log))
        {
            // The subject's first personal value makes its key; the record repeats a stored RecordId, so the append fails
            // after sealing and the transaction (with the key, on SQLite) rolls back.
            ActivityRecord repeated = existing with { Metadata = new Dictionary<string, object?> { ["email"] = new PersonalValue(subject, "first@example.org") } };
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await failing.CompleteAsync(repeated));
        }

        ActivityRecord later = ActivityRecord.Create(Alice, subject, "edit_customer", new EntityRef("Customer", "x"),
            new Dictionary<string, object?> { ["email"] = new PersonalValue(subject, "later@example.org") });
        await using (ActivityTransaction next = await ActivityTransaction.BeginAsync(log))
        {
            await next.CompleteAsync(later);
        }

        // Sealed under a key that exists: it opens (a rolled-back key would read as erased, the value lost).
        ActivityRecord stored = (await StoredAsync(services)).Single(r => r.RecordId == later.RecordId);
        ActivitySubjectKeys keys = scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>();
        Assert.Equal(new PersonalValue(subject, "later@example.org"), (await keys.UnsealAsync(stored)).Metadata["email"]);
        keys.Forget();
        Assert.Equal(new PersonalValue(subject, "later@example.org"), (await keys.UnsealAsync(stored)).Metadata["email"]);
    }

    /// <summary>
    /// The SQLite database's bytes (its file and write-ahead log) after a checkpoint and a <c>VACUUM</c>, so no stale page
    /// keeps an overwritten value.
    /// </summary>
    private async Task<byte[]> SqliteFileBytesAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        return [.. new[] { file, file + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes)];
    }

    /// <summary>Whether any column of any row of the log's table, as text, contains <paramref name="value"/> (PostgreSQL).</summary>
    private static async Task<bool> LogTableContainsAsync(ServiceProvider services, string value)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        return await db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM auditgen.activity_records r WHERE strpos(r::text, {0}) > 0", value)
            .SingleAsync() > 0;
    }

    [Fact]
    public void Invalid_capture_settings_are_refused_naming_the_setting()
    {
        ArgumentException length = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>(o => o.Changes.MaxValueLength = 0)));
        Assert.Contains("MaxValueLength", length.Message, StringComparison.Ordinal);

        ArgumentException names = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>(o => o.Changes.SensitiveNames.Add(" _ "))));
        Assert.Contains("SensitiveNames[10]", names.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteChangeCaptureValueTests() : ChangeCaptureValueTests("sqlite");

public sealed class PostgreSqlChangeCaptureValueTests() : ChangeCaptureValueTests("postgres");
