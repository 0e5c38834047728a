using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.Sqlite.Tests;

/// <summary>What <c>AddActivityLog(UseSqlite)</c> gives an application for personal data: sealing, the key file beside the database, erasure.</summary>
public sealed class PersonalDataRegistrationTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly Guid Auditor = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private sealed class FixedActor(Guid id) : IActorAccessor
    {
        public Guid? CurrentActorId => id;
    }

    [Fact]
    public async Task The_registered_log_seals_personal_values_with_a_key_file_made_beside_the_database_on_first_use()
    {
        string keyFile = ActivityCheckpointFiles.KeyEncryptionKey(_database.FilePath);
        await using (ServiceProvider services = new ServiceCollection()
            .AddSingleton<IActorAccessor>(new FixedActor(Auditor))
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString).UseInProcessDelivery())
            .BuildServiceProvider())
        {
            IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();
            await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "warm_up", new EntityRef("Task", "0")));
            Assert.False(File.Exists(keyFile)); // nothing personal yet: no key file

            AppendResult appended = await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"),
                new Dictionary<string, object?> { ["title"] = new PersonalValue(Alice, "Call Alice") }));

            Assert.True(File.Exists(keyFile));
            Assert.IsType<SealedValue>(appended.Record!.Metadata["title"]);
            ActivitySubjectKeys keys = services.GetRequiredService<ActivitySubjectKeys>();
            Assert.Equal(new PersonalValue(Alice, "Call Alice"), (await keys.UnsealAsync(appended.Record)).Metadata["title"]);

            ActivityRecord erasure = await services.GetRequiredService<IActivitySubjectErasure>().EraseSubjectAsync(Alice, "request 7");
            Assert.Equal(Auditor, erasure.ActorId);
            Assert.Equal(new ErasedValue(Alice), (await keys.UnsealAsync(appended.Record)).Metadata["title"]);
        }

        // Another run reads the same key file: a value sealed now opens in the next process.
        string? title = null;
        for (int run = 0; run < 2; run++)
        {
            await using ServiceProvider services = new ServiceCollection()
                .AddActivityLog(log => log.UseSqlite(_database.ConnectionString).UseInProcessDelivery())
                .BuildServiceProvider();
            IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();
            if (run == 0)
            {
                await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "rename_task", new EntityRef("Task", "1"),
                    new Dictionary<string, object?> { ["title"] = new PersonalValue(Alice, "Call Alice again") }));
                continue;
            }

            ActivityRecord stored = (await log.GetByActionAsync("rename_task")).Single();
            title = (string?)((PersonalValue)(await services.GetRequiredService<ActivitySubjectKeys>().UnsealAsync(stored)).Metadata["title"]!).Value;
        }

        Assert.Equal("Call Alice again", title);
    }
}
