using System.Collections.Immutable;

namespace AuditGen.Generators;

/// <summary>
/// MongoDB's C# driver: the collection's writes, on <c>IMongoCollection&lt;T&gt;</c>, its base class and the extension
/// methods that take expressions (sync and <c>Async</c> forms alike). <c>Find*</c> (but the <c>FindOneAnd*</c> writes),
/// <c>Aggregate*</c>, <c>Count*</c> and <c>Distinct*</c> are reads.
/// </summary>
internal static class MongoDbWrites
{
    private static readonly ImmutableArray<string> One = ["InsertOne*", "UpdateOne*", "ReplaceOne*", "DeleteOne*", "FindOneAndUpdate*", "FindOneAndReplace*", "FindOneAndDelete*"];

    private static readonly ImmutableArray<string> Many = ["InsertMany*", "UpdateMany*", "DeleteMany*", "BulkWrite*"];

    public static readonly DataAccessFamily Family = new("MongoDB",
    [
        new("MongoDB.Driver.IMongoCollection`1", One),
        new("MongoDB.Driver.IMongoCollection`1", Many, Bulk: true),
        new("MongoDB.Driver.MongoCollectionBase`1", One),
        new("MongoDB.Driver.MongoCollectionBase`1", Many, Bulk: true),
        new("MongoDB.Driver.IMongoCollectionExtensions", One),
        new("MongoDB.Driver.IMongoCollectionExtensions", Many, Bulk: true),
    ]);
}
