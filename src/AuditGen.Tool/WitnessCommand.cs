using AuditGen.Integrity;
using AuditGen.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditGen.Tool;

/// <summary>
/// <c>auditgen witness</c>: a C2SP <c>tlog-witness</c> over HTTP. Its key and state live in the <c>--state</c> SQLite file
/// (created on first start); <c>--log-key</c> adds a log's verifier key to the ones it trusts (kept in the file). Prints
/// <c>vkey: &lt;name+keyid+base64&gt;</c> and the addresses it listens on, then serves until stopped.
/// </summary>
internal static class WitnessCommand
{
    public sealed record Arguments(FileInfo State, string Urls, string? Name, string[] LogKeys);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var store = new SqliteActivityWitnessStore(arguments.State.FullName);
        foreach (string text in arguments.LogKeys)
        {
            try
            {
                store.TrustLogKey(NoteVerifier.Parse(text));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                return VerifyCommand.Usage($"--log-key '{text}': {ex.Message}");
            }
        }

        string name = arguments.Name ?? "auditgen-witness/" + string.Concat(Environment.MachineName.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-'));
        NoteSigner key;
        try
        {
            (key, bool created) = store.LoadOrCreateKey(name);
            if (!created && arguments.Name is not null && key.Name != arguments.Name)
            {
                await Console.Error.WriteLineAsync($"--name {arguments.Name}: the state file already has the witness key '{key.Name}', which stays.");
            }
        }
        catch (ArgumentException ex)
        {
            return VerifyCommand.Usage($"--name '{name}': {ex.Message}");
        }

        using var witness = new ActivityWitness(key, store);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(arguments.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using WebApplication app = builder.Build();
        app.MapActivityWitness(witness);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException or UriFormatException)
        {
            return VerifyCommand.Usage($"--urls {arguments.Urls}: {ex.Message}");
        }

        IReadOnlyList<string> origins = await store.OriginsAsync(cancellationToken);
        Console.WriteLine($"vkey: {witness.VerifierKey}");
        Console.WriteLine($"listening on {string.Join(' ', app.Urls)}");
        Console.WriteLine(origins.Count == 0
            ? "trusting no log yet: restart with --log-key <the log's vkey>"
            : $"trusting the logs {string.Join(", ", origins)} (state {store.Path})");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
