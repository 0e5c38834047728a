using AuditGen.Integrity;
using AuditGen.Storage;

namespace AuditGen.Tool;

/// <summary>
/// <c>auditgen erase</c>: erases a data subject's personal data from the command line — deletes their key and appends the
/// erasure record in one transaction, exactly as <see cref="ActivitySubjectKeys.EraseSubjectAsync"/> does in the application —
/// and <c>auditgen rotate-kek</c>: re-wraps every subject key under a new key-encryption key file, without touching records.
/// </summary>
internal static class EraseCommand
{
    public const int Done = 0;
    public const int Failed = 1;

    /// <summary>The actor recorded when <c>--actor</c> is not given: the operator at the command line.</summary>
    public static readonly Guid ToolActor = Guid.Parse("a0d17001-7001-4001-8001-000000000001");

    public sealed record Arguments(FileInfo? Sqlite, string? Postgres, string Schema, string Subject, string Reason, Guid? Actor);

    public sealed record RotateArguments(FileInfo? Sqlite, string? Postgres, string Schema, FileInfo? Kek, FileInfo NewKek);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(arguments.Subject, out Guid subject) || subject == Guid.Empty)
        {
            return VerifyCommand.Usage($"--subject '{arguments.Subject}': give the data subject's id, a GUID other than the empty one.");
        }

        if (string.IsNullOrWhiteSpace(arguments.Reason) || arguments.Reason.Length > ActivitySubjectKeys.MaxReasonLength)
        {
            return VerifyCommand.Usage($"--reason: say why, in 1 to {ActivitySubjectKeys.MaxReasonLength} characters (a request's reference; it is recorded in clear).");
        }

        if (arguments.Actor == Guid.Empty)
        {
            return VerifyCommand.Usage("--actor: give who erases, a GUID other than the empty one.");
        }

        (IActivityLogRepo? log, _, string? problem) = ToolLog.Open(arguments.Sqlite, arguments.Postgres, arguments.Schema, readOnly: false);
        if (log is null)
        {
            return VerifyCommand.Usage(problem!);
        }

        await using (log as IAsyncDisposable)
        {
            // Erasure deletes a wrapped key and never unwraps one: no key-encryption key is needed, so a throwaway one stands in.
            var keys = new ActivitySubjectKeys((IActivitySubjectKeyStore)log, FileActivityKeyEncryptionKey.Create());
            try
            {
                ActivityRecord record = await keys.EraseSubjectAsync(subject, arguments.Reason, arguments.Actor ?? ToolActor, cancellationToken);
                Console.WriteLine($"erased subject {subject:D}: {record.Metadata["valuesErased"]} sealed values are unreadable from now on; recorded as record {record.Sequence} ({record.RecordId:D}).");
                return Done;
            }
            catch (ActivitySubjectHeldException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return Failed;
            }
        }
    }

    public static async Task<int> RotateAsync(RotateArguments arguments, CancellationToken cancellationToken)
    {
        (IActivityLogRepo? log, string basePath, string? problem) = ToolLog.Open(arguments.Sqlite, arguments.Postgres, arguments.Schema, readOnly: false);
        if (log is null)
        {
            return VerifyCommand.Usage(problem!);
        }

        await using (log as IAsyncDisposable)
        {
            string current = arguments.Kek?.FullName ?? ActivityCheckpointFiles.KeyEncryptionKey(basePath);
            if (!File.Exists(current))
            {
                return VerifyCommand.Usage($"--kek: there is no key-encryption key file {current}.");
            }

            FileActivityKeyEncryptionKey kek, next;
            bool created;
            try
            {
                kek = FileActivityKeyEncryptionKey.FromJson(await File.ReadAllTextAsync(current, cancellationToken));
                (next, created) = FileActivityKeyEncryptionKey.LoadOrCreate(arguments.NewKek.FullName);
            }
            catch (FormatException ex)
            {
                return VerifyCommand.Usage($"--kek / --new-kek: {ex.Message}");
            }

            try
            {
                int rewrapped = await new ActivitySubjectKeys((IActivitySubjectKeyStore)log, kek).RewrapAsync(next, cancellationToken);
                Console.WriteLine($"re-wrapped {rewrapped} subject keys under key-encryption key '{next.Id}' ({(created ? "created " : "")}{arguments.NewKek.FullName}); " +
                    $"records are unchanged. Configure that file as the key-encryption key (for the default, replace {ActivityCheckpointFiles.KeyEncryptionKey(basePath)}), then remove the old one.");
                return Done;
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return Failed;
            }
        }
    }
}
