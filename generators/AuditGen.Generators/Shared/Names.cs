using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace AuditGen.Generators;

/// <summary>How user-declared names become pieces of generated code.</summary>
internal static class Names
{
    /// <summary>The name as a C# identifier: a keyword gets its <c>@</c> (a parameter named <c>event</c> is <c>@event</c>).</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The name with a lower-case first letter: metadata keys, and the <c>taskId</c> a <c>Task</c> entity's id is looked up by.</summary>
    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary><paramref name="name"/>, or with the first number from 1 that makes it not one of <paramref name="taken"/>.</summary>
    public static string Unique(string name, ICollection<string> taken)
    {
        string unique = name;
        for (int i = 1; taken.Contains(unique); i++)
        {
            unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(unique);
        return unique;
    }

    /// <summary>Only the letters and digits of <paramref name="text"/>: a piece of a generated type name.</summary>
    public static string LettersAndDigits(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());
}
