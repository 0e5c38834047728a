using System.Security.Cryptography;
using AuditGen.Integrity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

/// <summary><c>AddActivityLogDataProtection</c>: subject keys wrapped by ASP.NET Core Data Protection instead of a key file.</summary>
public sealed class DataProtectionKeyTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-dp-" + Guid.NewGuid().ToString("N"));

    public DataProtectionKeyTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Subject_keys_are_wrapped_by_the_data_protection_key_ring_and_no_key_file_is_made()
    {
        string database = Path.Combine(_folder, "audit.db");
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLogDataProtection()
            .AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider())
            .AddActivityLog(log => log.UseSqlite($"Data Source={database}").UseInProcessDelivery())
            .BuildServiceProvider();
        IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();

        AppendResult appended = await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["title"] = new PersonalValue(Alice, "Call Alice") }));

        ActivitySubjectKeys keys = services.GetRequiredService<ActivitySubjectKeys>();
        Assert.Equal("data-protection", (await keys.Store.FindSubjectKeyAsync(Alice))!.KekId);
        Assert.Equal(new PersonalValue(Alice, "Call Alice"), (await keys.UnsealAsync(appended.Record!)).Metadata["title"]);
        Assert.False(File.Exists(ActivityCheckpointFiles.KeyEncryptionKey(database)));
    }

    [Fact]
    public void A_wrapped_key_opens_only_for_its_own_key_id()
    {
        var kek = new DataProtectionActivityKeyEncryptionKey(new EphemeralDataProtectionProvider());
        Guid keyId = Guid.NewGuid();
        byte[] key = RandomNumberGenerator.GetBytes(32);

        byte[] wrapped = kek.Wrap(key, keyId);

        Assert.Equal(key, kek.Unwrap(wrapped, keyId));
        Assert.False(wrapped.AsSpan().IndexOf(key) >= 0);
        Assert.Throws<CryptographicException>(() => kek.Unwrap(wrapped, Guid.NewGuid()));
    }
}
