using System.Collections.Immutable;

namespace AuditGen.Generators;

/// <summary>
/// StackExchange.Redis: the commands that change a key (set, delete, expire, increment, push, add, remove, stream
/// appends), on <c>IDatabase</c> and <c>IDatabaseAsync</c> (sync and <c>Async</c> forms). <c>StringGet*</c>,
/// <c>KeyExists*</c>, <c>HashGet*</c>, ranges, scans and pub/sub are reads.
/// </summary>
internal static class RedisWrites
{
    private static readonly ImmutableArray<string> Writes =
    [
        "StringSet*", "StringAppend*", "StringIncrement*", "StringDecrement*", "StringGetSet*", "StringGetDelete*",
        "KeyDelete*", "KeyExpire*", "KeyPersist*", "KeyRename*", "KeyMove*", "KeyRestore*",
        "HashSet*", "HashDelete*", "HashIncrement*", "HashDecrement*",
        "ListLeftPush*", "ListRightPush*", "ListLeftPop*", "ListRightPop*", "ListInsert*", "ListRemove*", "ListSetByIndex*", "ListTrim*", "ListMove*",
        "SetAdd*", "SetRemove*", "SetMove*", "SetPop*", "SetCombineAndStore*",
        "SortedSetAdd*", "SortedSetRemove*", "SortedSetIncrement*", "SortedSetDecrement*", "SortedSetPop*", "SortedSetCombineAndStore*",
        "StreamAdd*", "StreamDelete*", "StreamTrim*", "GeoAdd*", "GeoRemove*", "HyperLogLogAdd*",
    ];

    public static readonly DataAccessFamily Family = new("StackExchange.Redis",
    [
        new("StackExchange.Redis.IDatabase", Writes),
        new("StackExchange.Redis.IDatabaseAsync", Writes),
    ]);
}
