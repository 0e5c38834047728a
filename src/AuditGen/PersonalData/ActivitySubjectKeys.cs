using System.Collections.Concurrent;
using System.Security.Cryptography;
using AuditGen.Storage;

namespace AuditGen;

/// <summary>
/// Key custody for personal data: data subjects' keys made on first use, wrapped by the application's key-encryption key
/// and kept in the log's own database (<see cref="IActivitySubjectKeyStore"/>), cached briefly in memory and never logged.
/// It seals a record's <see cref="PersonalValue"/>s (the pipeline calls it after the before-append hooks), opens sealed
/// values for people (<see cref="UnsealAsync(ActivityRecord, CancellationToken)"/>: the one place reads decrypt — the API,
/// console and exports call it), erases subjects and re-wraps keys under a new key-encryption key.
/// </summary>
/// <remarks>
/// After erasure, a new personal value of the same subject gets a new key (the person may come back); values sealed
/// before stay unreadable, because they name the erased key's id. A key cached by another process may seal values for up
/// to <see cref="ActivitySubjectKeysOptions.CacheDuration"/> after an erasure there: such values are sealed under the erased
/// key, so they are unreadable too, never stored in clear.
/// </remarks>
public sealed class ActivitySubjectKeys
{
    /// <summary>The action of the record of an erasure.</summary>
    public const string ErasedAction = "auditgen.subject.erased";

    /// <summary>The entity type of erasure records (the id is the subject's).</summary>
    public const string SubjectEntityType = "auditgen.subject";

    /// <summary>The most characters of an erasure's reason.</summary>
    public const int MaxReasonLength = 1_000;

    private readonly IActivitySubjectKeyStore _store;
    private readonly IActivityKeyEncryptionKey _kek;
    private readonly TimeProvider _clock;
    private readonly ActivitySubjectKeysOptions _options;
    private readonly ConcurrentDictionary<Guid, CachedKey> _byKey = new();
    private readonly ConcurrentDictionary<Guid, CachedKey> _bySubject = new();

    /// <summary>Key custody over <paramref name="store"/>'s key table.</summary>
    /// <param name="store">Where wrapped keys live: the log's store.</param>
    /// <param name="keyEncryptionKey">Wraps and unwraps subject keys.</param>
    /// <param name="clock">Stamps keys and records, and times the cache; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="options">Cache bounds; the defaults when null.</param>
    public ActivitySubjectKeys(IActivitySubjectKeyStore store, IActivityKeyEncryptionKey keyEncryptionKey, TimeProvider? clock = null,
        ActivitySubjectKeysOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keyEncryptionKey);
        _store = store;
        _kek = keyEncryptionKey;
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new ActivitySubjectKeysOptions();
    }

    /// <summary>The store that keeps the keys.</summary>
    public IActivitySubjectKeyStore Store => _store;

    /// <summary>
    /// Seals every <see cref="PersonalValue"/> of <paramref name="record"/> (metadata and changes) under its subject's key,
    /// creating the key on first use; the same instance when it holds none.
    /// </summary>
    /// <param name="record">A record with its final <see cref="ActivityRecord.RecordId"/> (after the hooks).</param>
    /// <param name="cancellationToken">Cancels key lookups.</param>
    /// <returns>The record as it will be stored.</returns>
    public async ValueTask<ActivityRecord> SealAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!ActivitySealing.Holds<PersonalValue>(record))
        {
            return record;
        }

        var keys = new List<CachedKey>(1); // a record's values belong to one or two people
        foreach (Guid subject in Subjects(record))
        {
            keys.Add(await SubjectKeyAsync(subject, cancellationToken).ConfigureAwait(false));
        }

        return ActivitySealing.Map(record, (value, place) =>
        {
            if (value is not PersonalValue personal)
            {
                return value;
            }

            CachedKey key = keys.Find(k => k.SubjectId == personal.SubjectId)!;
            AesGcm aes = key.RentCipher();
            try
            {
                return ActivitySealing.Seal(personal, key.KeyId, aes, record.RecordId, place);
            }
            finally
            {
                key.ReturnCipher(aes);
            }
        });
    }

    /// <summary>
    /// Opens every <see cref="SealedValue"/> of <paramref name="record"/> into a <see cref="PersonalValue"/> while its key exists,
    /// or an <see cref="ErasedValue"/> once the subject was erased. The one place reads decrypt.
    /// </summary>
    /// <param name="record">A stored record.</param>
    /// <param name="cancellationToken">Cancels key lookups.</param>
    /// <returns>The record for people to read (never to store again).</returns>
    /// <exception cref="InvalidDataException">A sealed value does not open under its key: it was changed or moved (the verifier locates it).</exception>
    public async ValueTask<ActivityRecord> UnsealAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (await UnsealAsync([record], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>Opens the sealed values of a page of records, looking up the keys it needs in one read.</summary>
    /// <param name="records">Stored records.</param>
    /// <param name="cancellationToken">Cancels key lookups.</param>
    /// <returns>The records for people to read, in the same order.</returns>
    /// <exception cref="InvalidDataException">A sealed value does not open under its key.</exception>
    public async ValueTask<IReadOnlyList<ActivityRecord>> UnsealAsync(IReadOnlyList<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        HashSet<Guid>? missing = null;
        foreach (ActivityRecord record in records)
        {
            ActivitySealing.EachValue(record, this, (keys, value) =>
            {
                if (value is SealedValue sealedValue && !keys.TryCached(keys._byKey, sealedValue.KeyId, out _))
                {
                    (missing ??= []).Add(sealedValue.KeyId);
                }
            });
        }

        Dictionary<Guid, CachedKey>? found = null;
        if (missing is not null)
        {
            found = [];
            foreach (ActivitySubjectKey stored in await _store.FindKeysAsync(missing, cancellationToken).ConfigureAwait(false))
            {
                CachedKey key = Unwrap(stored);
                found[key.KeyId] = key;
                Remember(key);
            }
        }

        var result = new ActivityRecord[records.Count];
        CachedKey? last = null; // a page's values mostly come in runs of one subject's key: looked up once per run
        for (int i = 0; i < records.Count; i++)
        {
            ActivityRecord record = records[i];
            result[i] = ActivitySealing.Map(record, (value, place) =>
            {
                if (value is not SealedValue sealedValue)
                {
                    return value;
                }

                CachedKey? key = last;
                if (key?.KeyId != sealedValue.KeyId)
                {
                    if (!TryCached(_byKey, sealedValue.KeyId, out key) && (found is null || !found.TryGetValue(sealedValue.KeyId, out key)))
                    {
                        return new ErasedValue(sealedValue.SubjectId);
                    }

                    last = key;
                }

                AesGcm aes = key!.RentCipher();
                try
                {
                    return ActivitySealing.Open(sealedValue, aes, record.RecordId, place);
                }
                catch (CryptographicException ex)
                {
                    throw new InvalidDataException(
                        $"A sealed value of record {record.Sequence} ({record.RecordId:D}) does not open under its key: it was changed or moved. Run auditgen verify to locate it.", ex);
                }
                finally
                {
                    key.ReturnCipher(aes);
                }
            });
        }

        return result;
    }

    /// <summary>
    /// Erases <paramref name="subjectId"/>: deletes their key and appends the erasure record in one transaction (constant
    /// time in the number of their sealed values); every value sealed under the key reads as erased from then on.
    /// </summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="reason">Why (1-1000 characters, stored in clear).</param>
    /// <param name="actorId">Who erases.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The stored erasure record.</returns>
    /// <exception cref="ArgumentException">An id or the reason is invalid.</exception>
    /// <exception cref="ActivitySubjectHeldException">A legal hold covers the subject.</exception>
    public async ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, string reason, Guid actorId, CancellationToken cancellationToken = default)
    {
        ActivityValidation.RequiredId(subjectId, nameof(subjectId), "SubjectId");
        ActivityValidation.RequiredId(actorId, nameof(actorId), "ActorId");
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"Reason must be at most {MaxReasonLength} characters; it has {reason.Length}.", nameof(reason));
        }

        Forget(subjectId); // from now on this process makes a new key for the subject
        DateTimeOffset now = _clock.GetUtcNow();
        ActivityRecord record = await _store.EraseSubjectAsync(subjectId, count => ActivityRecord.Create(actorId, subjectId, ErasedAction,
            new EntityRef(SubjectEntityType, subjectId), new Dictionary<string, object?>
            {
                ["subject"] = subjectId,
                ["reason"] = reason,
                ["valuesErased"] = count,
            }, now), cancellationToken).ConfigureAwait(false);
        Forget(subjectId);
        return record;
    }

    /// <summary>
    /// Re-wraps every subject key under <paramref name="newKeyEncryptionKey"/> (records are not touched: they name data keys,
    /// which do not change). Keys wrapped by this instance's key-encryption key are unwrapped with it; keys already wrapped by
    /// the new one are skipped, so an interrupted rotation can run again.
    /// </summary>
    /// <param name="newKeyEncryptionKey">The new key-encryption key.</param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>How many keys were re-wrapped.</returns>
    /// <exception cref="CryptographicException">A key is wrapped by neither key-encryption key.</exception>
    public async ValueTask<int> RewrapAsync(IActivityKeyEncryptionKey newKeyEncryptionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKeyEncryptionKey);
        int rewrapped = 0;
        Guid after = Guid.Empty;
        while (true)
        {
            IReadOnlyList<ActivitySubjectKey> page = await _store.ListKeysAsync(after, 500, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return rewrapped;
            }

            var replaced = new List<ActivitySubjectKey>(page.Count);
            foreach (ActivitySubjectKey stored in page)
            {
                if (stored.KekId == newKeyEncryptionKey.Id)
                {
                    continue;
                }

                if (stored.KekId != _kek.Id)
                {
                    throw new CryptographicException(
                        $"Subject key {stored.KeyId:D} is wrapped by key-encryption key '{stored.KekId}', which is neither the current '{_kek.Id}' nor the new '{newKeyEncryptionKey.Id}'.");
                }

                byte[] key = _kek.Unwrap(stored.WrappedKey.Span, stored.KeyId);
                replaced.Add(stored with { KekId = newKeyEncryptionKey.Id, WrappedKey = newKeyEncryptionKey.Wrap(key, stored.KeyId) });
                CryptographicOperations.ZeroMemory(key);
            }

            rewrapped += replaced.Count == 0 ? 0 : await _store.ReplaceWrappedKeysAsync(replaced, cancellationToken).ConfigureAwait(false);
            after = page[^1].KeyId;
        }
    }

    /// <summary>Forgets cached keys (all, or one subject's): the next use reads the key table again.</summary>
    /// <param name="subjectId">The subject, or null for every key.</param>
    public void Forget(Guid? subjectId = null)
    {
        if (subjectId is not { } subject)
        {
            _byKey.Clear();
            _bySubject.Clear();
            return;
        }

        if (_bySubject.TryRemove(subject, out CachedKey? cached))
        {
            _byKey.TryRemove(cached.KeyId, out _);
        }

        foreach (KeyValuePair<Guid, CachedKey> entry in _byKey)
        {
            if (entry.Value.SubjectId == subject)
            {
                _byKey.TryRemove(entry.Key, out _);
            }
        }
    }

    private static List<Guid> Subjects(ActivityRecord record)
    {
        var subjects = new List<Guid>(1);
        ActivitySealing.EachValue(record, subjects, static (subjects, value) =>
        {
            if (value is PersonalValue personal && !subjects.Contains(personal.SubjectId))
            {
                subjects.Add(personal.SubjectId);
            }
        });
        return subjects;
    }

    private async ValueTask<CachedKey> SubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        if (TryCached(_bySubject, subjectId, out CachedKey? cached))
        {
            return cached!;
        }

        ActivitySubjectKey? stored = await _store.FindSubjectKeyAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            Guid keyId = Guid.NewGuid();
            byte[] key = RandomNumberGenerator.GetBytes(ActivitySealing.KeySize);
            byte[] wrapped = _kek.Wrap(key, keyId);
            CryptographicOperations.ZeroMemory(key);
            stored = await _store.AddSubjectKeyAsync(new ActivitySubjectKey(keyId, subjectId, _kek.Id, wrapped, _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        CachedKey fresh = Unwrap(stored);
        if (!stored.Uncommitted)
        {
            Remember(fresh); // a key inside a transaction that may roll back is read again next time, not cached
        }

        return fresh;
    }

    private CachedKey Unwrap(ActivitySubjectKey stored)
    {
        if (stored.KekId != _kek.Id)
        {
            throw new CryptographicException(
                $"Subject key {stored.KeyId:D} is wrapped by key-encryption key '{stored.KekId}', not the configured '{_kek.Id}': finish the key-encryption key rotation, or configure that key.");
        }

        return new CachedKey(stored.KeyId, stored.SubjectId, _kek.Unwrap(stored.WrappedKey.Span, stored.KeyId), _clock.GetUtcNow() + _options.CacheDuration);
    }

    private void Remember(CachedKey key)
    {
        if (_byKey.Count >= _options.CacheSize)
        {
            _byKey.Clear(); // bounded: start over rather than grow; keys are read again on demand
            _bySubject.Clear();
        }

        _byKey[key.KeyId] = key;
        _bySubject[key.SubjectId] = key;
    }

    private bool TryCached(ConcurrentDictionary<Guid, CachedKey> cache, Guid id, out CachedKey? key)
    {
        if (cache.TryGetValue(id, out key) && key.ExpiresAt > _clock.GetUtcNow())
        {
            return true;
        }

        key = null;
        return false;
    }

    /// <summary>
    /// A data key in the cache, with one spare cipher: AES-GCM's key schedule is set up once per key, not per value. A cipher
    /// serves one caller at a time, so concurrent callers of the same key make their own.
    /// </summary>
    private sealed class CachedKey(Guid keyId, Guid subjectId, byte[] key, DateTimeOffset expiresAt)
    {
        private AesGcm? _spare;

        public Guid KeyId { get; } = keyId;

        public Guid SubjectId { get; } = subjectId;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public AesGcm RentCipher() => Interlocked.Exchange(ref _spare, null) ?? new AesGcm(key, SealedValue.TagSize);

        public void ReturnCipher(AesGcm cipher)
        {
            if (Interlocked.CompareExchange(ref _spare, cipher, null) is not null)
            {
                cipher.Dispose();
            }
        }

        public override string ToString() => $"key {KeyId:D} of {SubjectId:D}"; // never the bytes
    }
}
