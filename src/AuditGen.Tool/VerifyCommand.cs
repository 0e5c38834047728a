using System.Globalization;
using AuditGen.Integrity;
using AuditGen.Storage;
using Spectre.Console;

namespace AuditGen.Tool;

/// <summary><c>auditgen verify</c>: the log against its checkpoints, with a progress display on a terminal.</summary>
internal static class VerifyCommand
{
    public const int Verified = 0;
    public const int Diverged = 1;
    public const int UsageError = 2;

    public sealed record Arguments(FileInfo? Sqlite, string? Postgres, string Schema, DirectoryInfo? Checkpoints, FileInfo[] Keys)
    {
        public string[] WitnessUrls { get; init; } = [];

        public string[] WitnessKeys { get; init; } = [];

        public int? Quorum { get; init; }
    }

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        (IActivityLogRepo? opened, string basePath, string? problem) = ToolLog.Open(arguments.Sqlite, arguments.Postgres, arguments.Schema, readOnly: true);
        if (opened is not IActivityLogOutbox log)
        {
            return Usage(problem!);
        }

        string checkpoints = arguments.Checkpoints?.FullName ?? ActivityCheckpointFiles.Checkpoints(basePath);
        if (!Directory.Exists(checkpoints))
        {
            return Usage($"--checkpoints: there is no directory {checkpoints}.");
        }

        string[] keyFiles = arguments.Keys.Length > 0 ? [.. arguments.Keys.Select(static k => k.FullName)] : [ActivityCheckpointFiles.PublicKey(basePath)];
        var trusted = new List<ActivityCheckpointKey>();
        foreach (string keyFile in keyFiles)
        {
            if (!File.Exists(keyFile))
            {
                return Usage($"--key: there is no key file {keyFile}.");
            }

            try
            {
                trusted.Add(ActivityCheckpointKey.FromJson(await File.ReadAllTextAsync(keyFile, cancellationToken)).PublicKey());
            }
            catch (FormatException ex)
            {
                return Usage($"--key {keyFile}: {ex.Message}");
            }
        }

        if (arguments.WitnessUrls.Length != arguments.WitnessKeys.Length)
        {
            return Usage($"--witness-url and --witness-key come in pairs: {arguments.WitnessUrls.Length} URLs, {arguments.WitnessKeys.Length} keys.");
        }

        var options = new ActivityLogVerifyOptions();
        var witnesses = new List<(Uri Url, NoteVerifier Key)>();
        for (int i = 0; i < arguments.WitnessUrls.Length; i++)
        {
            if (!Uri.TryCreate(arguments.WitnessUrls[i], UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https"))
            {
                return Usage($"--witness-url '{arguments.WitnessUrls[i]}': not an absolute http or https URL.");
            }

            NoteVerifier key;
            try
            {
                string text = arguments.WitnessKeys[i].Trim();
                key = NoteVerifier.Parse(text.StartsWith("vkey:", StringComparison.Ordinal) ? text[5..] : text);
            }
            catch (FormatException ex)
            {
                return Usage($"--witness-key '{arguments.WitnessKeys[i]}': {ex.Message}");
            }

            if (key.Type != NoteSignatureType.CosignatureV1)
            {
                return Usage($"--witness-key '{key.Name}': not a witness's cosignature key (type 04).");
            }

            witnesses.Add((url, key));
            options.Witnesses.Add(key);
        }

        options.Quorum = arguments.Quorum ?? (witnesses.Count > 0 ? 1 : 0);
        if (options.Quorum < 0 || (witnesses.Count > 0 && options.Quorum > witnesses.Count) || (witnesses.Count == 0 && options.Quorum > 0))
        {
            return Usage($"--quorum {options.Quorum}: between 0 and the number of witnesses ({witnesses.Count}).");
        }

        var sink = new FileActivityCheckpointSink(checkpoints);
        ActivityCheckpoint? newest = await sink.LatestAsync(cancellationToken);
        if (newest is null && witnesses.Count == 0)
        {
            Console.WriteLine($"no checkpoint in {checkpoints}: nothing vouches for the log yet.");
            return Diverged;
        }

        string? origin = newest?.Origin ?? (opened is not null && arguments.Sqlite is not null ? "auditgen/" + arguments.Sqlite.Name : null);
        if (origin is not null && witnesses.Count > 0)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach ((Uri url, NoteVerifier key) in witnesses)
            {
                try
                {
                    SignedNote? view = await ActivityWitnessClient.LatestCheckpointAsync(http, url, origin, cancellationToken);
                    Console.WriteLine(view is null
                        ? $"witness {key.Name} ({url}) has cosigned no checkpoint of {origin}"
                        : $"witness {key.Name} ({url}) last cosigned size {ActivityCheckpoint.ParseBody(view.Text).TreeSize} of {origin}");
                    if (view is not null)
                    {
                        options.WitnessCheckpoints.Add(view);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or FormatException or TaskCanceledException)
                {
                    await Console.Error.WriteLineAsync($"witness {key.Name} ({url}) could not be asked: {ex.Message}");
                }
            }
        }

        ActivityLogVerification result = await VerifyWithProgressAsync(log, sink, trusted, options, cancellationToken);
        if (!result.IsIntact)
        {
            Console.WriteLine(result.FirstDivergentSequence is long first
                ? $"history diverges at sequence {first}: {result.Problem}"
                : $"verification failed: {result.Problem}");
            return Diverged;
        }

        if (result.Checkpoint is not { } checkpoint)
        {
            Console.WriteLine($"no checkpoint in {checkpoints}: nothing vouches for the log yet.");
            return Diverged;
        }

        if (witnesses.Count > 0)
        {
            Console.WriteLine($"the newest checkpoint is cosigned by {result.Cosigners.Count} of {witnesses.Count} trusted witnesses (quorum {options.Quorum}){(result.Cosigners.Count > 0 ? ": " + string.Join(", ", result.Cosigners) : "")}; the largest size they cosigned is {result.WitnessedSize}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verified {result.RecordsVerified} records up to checkpoint {checkpoint.TreeSize} (root {Convert.ToHexStringLower(checkpoint.RootHash)}, {checkpoint.IssuedAt:O}, key '{checkpoint.KeyId}')"));
        if (result.RecordsPurged > 0)
        {
            Console.WriteLine($"{result.RecordsPurged} checkpointed records were removed by signed retention purges.");
        }

        if (result.RecordsNotYetCovered > 0)
        {
            Console.WriteLine($"{result.RecordsNotYetCovered} records stored after it are not yet covered by a checkpoint.");
        }

        return Verified;
    }

    private static async Task<ActivityLogVerification> VerifyWithProgressAsync(IActivityLogOutbox log, FileActivityCheckpointSink sink, List<ActivityCheckpointKey> trusted,
        ActivityLogVerifyOptions options, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await ActivityLogVerifier.VerifyAsync(log, sink, trusted, options, progress: null, cancellationToken);
        }

        long total = Math.Max(1, (await sink.LatestAsync(cancellationToken))?.TreeSize ?? 1);
        return await AnsiConsole.Progress().StartAsync(async context =>
        {
            ProgressTask task = context.AddTask("verifying records", maxValue: total);
            var progress = new Progress<long>(done => task.Value = Math.Min(done, total));
            ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(log, sink, trusted, options, progress, cancellationToken);
            task.Value = total;
            return result;
        });
    }

    internal static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return UsageError;
    }
}
