using System.Text;
using AuditGen.Conformance;
using AuditGen.Storage;

namespace AuditGen.Tests;

/// <summary>Personal data on the in-memory store, against the shared conformance suite: the scans read the stored records' storage forms and the keys.</summary>
public sealed class InMemoryPersonalDataTests : PersonalDataConformanceTests
{
    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock) => Task.FromResult<IActivityLogRepo>(new InMemoryActivityLogRepo(clock));

    protected override async Task<bool> StorageContainsAsync(IActivityLogRepo log, byte[] bytes)
    {
        var store = (InMemoryActivityLogRepo)log;
        foreach (ActivityRecord record in store.Records)
        {
            byte[] stored = Encoding.UTF8.GetBytes(ActivityMetadataJson.Serialize(record.Metadata) + ActivityChangesJson.Serialize(record.Changes));
            if (stored.AsSpan().IndexOf(bytes) >= 0)
            {
                return true;
            }
        }

        foreach (ActivitySubjectKey key in await store.ListKeysAsync(Guid.Empty, int.MaxValue))
        {
            if (key.WrappedKey.Span.IndexOf(bytes) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
