namespace AuditGen.AspNetCore;

/// <summary>The console's page, script and styles, embedded in the assembly (Console/*), read once.</summary>
internal static class ActivityLogConsoleAssets
{
    public static string Page { get; } = Read("console.html");

    public static string Script { get; } = Read("console.js");

    public static string Styles { get; } = Read("console.css");

    private static string Read(string name)
    {
        using Stream stream = typeof(ActivityLogConsoleAssets).Assembly.GetManifestResourceStream($"AuditGen.AspNetCore.Console.{name}")
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded in AuditGen.AspNetCore.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
