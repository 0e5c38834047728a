using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore;

/// <summary>Shapes records as items, with display names from the <see cref="IActorDirectory"/> when one is registered: one lookup per batch.</summary>
internal static class ActivityItemNames
{
    public static async ValueTask<ActivityItemResponse[]> ItemsAsync(IReadOnlyList<ActivityRecord> records, IServiceProvider services, CancellationToken cancellationToken)
    {
        var items = new ActivityItemResponse[records.Count];
        IActorDirectory? directory = services.GetService<IActorDirectory>();
        IReadOnlyDictionary<Guid, string>? names = null;
        if (directory is not null && records.Count > 0)
        {
            HashSet<Guid> ids = [.. records.Select(static r => r.ActorId), .. records.Select(static r => r.OwnerId)];
            names = await directory.GetDisplayNamesAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        for (int i = 0; i < items.Length; i++)
        {
            ActivityRecord record = records[i];
            items[i] = names is null
                ? ActivityItemResponse.From(record)
                : ActivityItemResponse.From(record) with { ActorName = names.GetValueOrDefault(record.ActorId), OwnerName = names.GetValueOrDefault(record.OwnerId) };
        }

        return items;
    }
}
