namespace AuditGen.Generators.Tests;

/// <summary>
/// The generator's compile-time checks and the runtime's ActivityValidation agree, so nothing the generator accepts fails
/// at run time and nothing the runtime accepts is refused at compile time.
/// </summary>
public class ValidationAgreementTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    public static TheoryData<string> Texts()
    {
        var texts = new TheoryData<string>
        {
            "", " ", "   ", "\t", "create_task", "Create_Task", "create task", "create-task", "a.b:c", "é", "task\n", "\u0000", "\u007f",
            "\u2028", "\u00a0", "Task\"quoted\"", "back\\slash", new string('a', 100), new string('a', 101), new string('x', 200),
            "📝", "create_task ", " create_task", "\u200b",
        };
        var random = new Random(17);
        const string alphabet = "abcxyz019_.:- AZé\t\n\"\\\u0085\u00a0";
        for (int i = 0; i < 200; i++)
        {
            texts.Add(new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]));
        }

        return texts;
    }

    private static bool RuntimeAccepts(Func<ActivityRecord> create)
    {
        try
        {
            create();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Actions_agree(string action) =>
        Assert.Equal(RuntimeAccepts(() => ActivityRecord.Create(Alice, Alice, action, new EntityRef("Task", "1"))), UseCaseParser.IsValidAction(action));

    [Theory]
    [MemberData(nameof(Texts))]
    public void Entity_types_agree(string entityType) =>
        Assert.Equal(RuntimeAccepts(() => ActivityRecord.Create(Alice, Alice, "a", new EntityRef(entityType, "1"))), UseCaseParser.IsValidEntityType(entityType));

    [Theory]
    [MemberData(nameof(Texts))]
    public void Metadata_keys_agree(string key) =>
        Assert.Equal(RuntimeAccepts(() => ActivityRecord.Create(Alice, Alice, "a", new EntityRef("Task", "1"), new Dictionary<string, object?> { [key] = 1 })),
            UseCaseParser.IsValidText(key, 100));

    /// <summary>A declared metadata type (as C# source) and a value of it, as a use case would hand it to the runtime.</summary>
    public static TheoryData<string, object?> MetadataTypes() => new()
    {
        { "string", "text" }, { "bool", true }, { "sbyte", (sbyte)-1 }, { "byte", (byte)1 }, { "short", (short)-2 }, { "ushort", (ushort)2 },
        { "int", 4 }, { "uint", 4u }, { "long", -8L }, { "ulong", 8ul }, { "float", 0.5f }, { "double", 0.25 }, { "decimal", 1.1m },
        { "System.Guid", Guid.NewGuid() }, { "System.DateTimeOffset", DateTimeOffset.UnixEpoch }, { "System.DateOnly", new DateOnly(2026, 1, 2) },
        { "System.TimeOnly", new TimeOnly(3, 4) }, { "System.DayOfWeek", DayOfWeek.Monday }, { "int?", 5 }, { "System.Guid?", Guid.Empty },
        { "int[]", new[] { 1, 2 } }, { "string[]", new[] { "a", "b" } }, { "System.DayOfWeek[]", new[] { DayOfWeek.Friday } },
        { "byte[]", new byte[] { 1, 2 } }, { "int?[]", new int?[] { 1, null } },
        { "System.DateTime", DateTime.UnixEpoch }, { "System.TimeSpan", TimeSpan.FromSeconds(1) }, { "char", 'c' }, { "object", new object() },
        { "System.Collections.Generic.List<int>", new List<int> { 1 } }, { "System.Uri", new Uri("https://example.test/") },
        { "int[][]", new[] { new[] { 1 } } }, { "int[,]", new int[1, 1] }, { "System.Int128", (Int128)1 }, { "System.Half", (Half)1 },
        { "nint", (nint)1 }, { "System.Numerics.BigInteger", System.Numerics.BigInteger.One },
        { "System.Collections.Generic.Dictionary<string, int>", new Dictionary<string, int> { ["a"] = 1 } },
    };

    [Theory]
    [MemberData(nameof(MetadataTypes))]
    public void Metadata_value_types_agree(string type, object? value)
    {
        var compilation = TestCompilation.Create($"public sealed class Probe {{ public {type} Value = default!; }}");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var field = (Microsoft.CodeAnalysis.IFieldSymbol)compilation.GetTypeByMetadataName("Probe")!.GetMembers("Value").Single();
        bool compileTime = UseCaseParser.IsJsonSafe(field.Type, KnownTypes.From(compilation), allowArray: true);

        bool runTime = RuntimeAccepts(() => ActivityRecord.Create(Alice, Alice, "a", new EntityRef("Task", "1"), new Dictionary<string, object?> { ["v"] = value }));
        Assert.Equal(runTime, compileTime);
    }
}
