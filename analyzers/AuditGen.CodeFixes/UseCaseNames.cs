using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AuditGen.CodeFixes;

/// <summary>Action names and entity types derived from a use case's type and method names.</summary>
internal static class UseCaseNames
{
    private static readonly string[] TypeSuffixes = ["CommandHandler", "UseCase", "Handler", "Command", "Service", "Controller", "Consumer", "Endpoints", "Endpoint", "Job"];
    private static readonly HashSet<string> GenericMethods = ["Execute", "Handle", "Run", "Invoke", "Process", "Call"];

    /// <summary>
    /// <c>CreateTaskUseCase.ExecuteAsync</c> → <c>create_task</c>; <c>ArchiveProjectHandler.Handle</c> → <c>archive_project</c>;
    /// <c>TaskService.CompleteAsync</c> → <c>complete_task</c>.
    /// </summary>
    public static (string Action, string? EntityType) Derive(string typeName, string methodName)
    {
        string type = StripSuffix(StripArity(typeName), TypeSuffixes);
        string method = StripSuffix(methodName, ["Async"]);
        List<string> words;
        string? entity = null;
        if (GenericMethods.Contains(method) || method.Length == 0)
        {
            words = Words(type);
            if (words.Count >= 2)
            {
                entity = string.Concat(words.Skip(1));
            }
        }
        else
        {
            words = Words(method);
            List<string> typeWords = Words(type);
            if (words.Count == 1 && typeWords.Count > 0)
            {
                entity = string.Concat(typeWords);
                words.AddRange(typeWords);
            }
            else if (words.Count >= 2)
            {
                entity = string.Concat(words.Skip(1));
            }
        }

        string action = string.Join("_", words.Select(w => w.ToLowerInvariant()));
        return (action.Length == 0 ? "action" : action, entity);
    }

    /// <summary>
    /// A mapped lambda's action, from the <c>Map*</c> verb and the route's last literal segment:
    /// <c>MapPost("/api/todos")</c> → <c>create_todo</c>, <c>MapDelete("/todos/{id}")</c> → <c>delete_todo</c>.
    /// </summary>
    public static (string Action, string? EntityType) FromRoute(string mapMethod, string? route)
    {
        string verb = mapMethod switch
        {
            "MapPost" => "create",
            "MapPut" or "MapPatch" => "update",
            "MapDelete" => "delete",
            _ => "change",
        };
        string? segment = (route ?? "").Split(['/'], System.StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(p => !p.StartsWith("{", System.StringComparison.Ordinal) && p.Any(char.IsLetter) && p != "api");
        if (segment is null)
        {
            return (verb, null);
        }

        string word = new(segment.Where(char.IsLetterOrDigit).ToArray());
        if (word.Length > 3 && word.EndsWith("s", System.StringComparison.Ordinal) && !word.EndsWith("ss", System.StringComparison.Ordinal))
        {
            word = word.Substring(0, word.Length - 1); // todos → todo: one entity per record
        }

        return ($"{verb}_{word.ToLowerInvariant()}", char.ToUpperInvariant(word[0]) + word.Substring(1));
    }

    private static string StripArity(string name)
    {
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    private static string StripSuffix(string name, IEnumerable<string> suffixes)
    {
        foreach (string suffix in suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, System.StringComparison.Ordinal))
            {
                return name.Substring(0, name.Length - suffix.Length);
            }
        }

        return name;
    }

    /// <summary>Splits PascalCase into words, keeping acronyms together: <c>ImportCSVFile</c> → Import, CSV, File.</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            bool boundary = current.Length > 0 && char.IsUpper(c) &&
                (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
            {
                Flush();
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
