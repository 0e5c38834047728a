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
}
