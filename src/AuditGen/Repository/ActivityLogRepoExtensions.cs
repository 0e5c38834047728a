using System.Runtime.CompilerServices;

namespace AuditGen;

/// <summary>The query calls of activity feeds, history views and audit reports, over any <see cref="IActivityLogRepo"/>.</summary>
public static class ActivityLogRepoExtensions
{
    /// <summary>The latest records about one entity: its history view.</summary>
    /// <param name="repo">The log.</param>
    /// <param name="entity">The entity.</param>
    /// <param name="limit">How many records at most, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records, newest first.</returns>
    public static ValueTask<IReadOnlyList<ActivityRecord>> GetByEntityAsync(this IActivityLogRepo repo, EntityRef entity,
        int limit = ActivityQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        ItemsAsync(repo, ActivityQuery.ByEntity(entity, limit), cancellationToken);

    /// <summary>The latest records of one actor: an audit of what they did.</summary>
    /// <param name="repo">The log.</param>
    /// <param name="actorId">The actor.</param>
    /// <param name="limit">How many records at most, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records, newest first.</returns>
    public static ValueTask<IReadOnlyList<ActivityRecord>> GetByActorAsync(this IActivityLogRepo repo, Guid actorId,
        int limit = ActivityQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        ItemsAsync(repo, ActivityQuery.ByActor(actorId, limit), cancellationToken);

    /// <summary>The latest records about one owner's data: their activity feed.</summary>
    /// <param name="repo">The log.</param>
    /// <param name="ownerId">The owner.</param>
    /// <param name="limit">How many records at most, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records, newest first.</returns>
    public static ValueTask<IReadOnlyList<ActivityRecord>> GetByOwnerAsync(this IActivityLogRepo repo, Guid ownerId,
        int limit = ActivityQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        ItemsAsync(repo, ActivityQuery.ByOwner(ownerId, limit), cancellationToken);

    /// <summary>The latest records of one action.</summary>
    /// <param name="repo">The log.</param>
    /// <param name="action">The action, such as <c>"create_task"</c>.</param>
    /// <param name="limit">How many records at most, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records, newest first.</returns>
    public static ValueTask<IReadOnlyList<ActivityRecord>> GetByActionAsync(this IActivityLogRepo repo, string action,
        int limit = ActivityQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        ItemsAsync(repo, ActivityQuery.ByAction(action, limit), cancellationToken);

    /// <summary>Every record matching <paramref name="query"/>, fetched page by page with <see cref="ActivityQuery.Limit"/> records a page.</summary>
    /// <param name="repo">The log.</param>
    /// <param name="query">The filters and order; its cursor, if any, is where the stream starts.</param>
    /// <param name="cancellationToken">Cancels the stream between and during pages.</param>
    /// <returns>The records in the query's order.</returns>
    public static IAsyncEnumerable<ActivityRecord> StreamAsync(this IActivityLogRepo repo, ActivityQuery query,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(query);
        return Stream(repo, query, cancellationToken);

        static async IAsyncEnumerable<ActivityRecord> Stream(IActivityLogRepo repo, ActivityQuery query,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (true)
            {
                ActivityPage page = await repo.QueryAsync(query, cancellationToken).ConfigureAwait(false);
                foreach (ActivityRecord record in page.Items)
                {
                    yield return record;
                }

                if (page.NextCursor is null)
                {
                    yield break;
                }

                query = query with { Cursor = page.NextCursor };
            }
        }
    }

    private static async ValueTask<IReadOnlyList<ActivityRecord>> ItemsAsync(IActivityLogRepo repo, ActivityQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ActivityPage page = await repo.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return page.Items;
    }
}
