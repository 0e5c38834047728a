using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AuditGen.Integrity;

/// <summary>
/// Submits the newest checkpoint to each witness (C2SP <c>tlog-witness</c> <c>add-checkpoint</c>) with the consistency proof
/// from the size the witness last cosigned, and stores the cosignatures it returns with the checkpoint. One loop per
/// witness, beside the appends: a witness that is down or refuses is retried with doubling waits (1 s up to
/// <see cref="ActivityCheckpointOptions.MaxWitnessBackoff"/>), and only the newest checkpoint is ever submitted, so a
/// backlog is one submission when the witness comes back.
/// </summary>
internal sealed partial class ActivityWitnessSubmitter : IDisposable
{
    /// <summary>The largest answer read from a witness.</summary>
    private const int MaxResponse = 64 * 1024;

    private readonly ActivityCheckpointOptions _options;
    private readonly Func<ActivityCheckpoint?> _latest;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly HttpClient _http;
    private readonly ActivityLogProofs _proofs;
    private readonly WitnessState[] _witnesses;

    public ActivityWitnessSubmitter(ActivityCheckpointOptions options, Func<ActivityCheckpoint?> latest, ILogger logger, TimeProvider clock)
    {
        _options = options;
        _latest = latest;
        _logger = logger;
        _clock = clock;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = options.WitnessTimeout };
        _proofs = new ActivityLogProofs(options.Sink!);
        _witnesses = [.. options.Witnesses.Select(static w => new WitnessState(w))];
    }

    /// <summary>Each witness's state, for the health check and the metrics.</summary>
    public IReadOnlyList<WitnessState> Witnesses => _witnesses;

    /// <summary>Wakes the loops: a new checkpoint was written.</summary>
    public void Notify()
    {
        foreach (WitnessState witness in _witnesses)
        {
            witness.Wake();
        }
    }

    /// <summary>Runs every witness's loop until <paramref name="stoppingToken"/> stops them.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_witnesses.Select(w => Task.Run(() => LoopAsync(w, stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(WitnessState witness, CancellationToken stoppingToken)
    {
        ActivityWitnessMetrics.Started(witness, _latest);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ActivityCheckpoint? latest = _latest();
                if (latest?.Note is null || latest.TreeSize <= witness.CosignedSize)
                {
                    await witness.WaitAsync(_options.PollInterval, _clock, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await SubmitAsync(witness, latest, stoppingToken).ConfigureAwait(false);
                    witness.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    TimeSpan wait = witness.Failed(ex.Message, _options.MaxWitnessBackoff);
                    ActivityWitnessMetrics.Failed(witness);
                    LogWitnessFailed(_logger, witness.Endpoint.Name, witness.Endpoint.Url.AbsoluteUri, latest.TreeSize, wait.TotalSeconds, ex.Message);
                    await Task.Delay(wait, _clock, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            ActivityWitnessMetrics.Stopped(witness);
        }
    }

    /// <summary>
    /// Submits the newest checkpoint once to each witness that has not cosigned it (at shutdown, after the loops stopped);
    /// failures are logged and counted, never thrown.
    /// </summary>
    public async Task SubmitLatestAsync(CancellationToken cancellationToken)
    {
        if (_latest() is not { Note: not null } latest)
        {
            return;
        }

        await Task.WhenAll(_witnesses.Where(w => w.CosignedSize < latest.TreeSize).Select(async witness =>
        {
            try
            {
                await SubmitAsync(witness, latest, cancellationToken).ConfigureAwait(false);
                witness.Succeeded();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                witness.Failed(ex.Message, _options.MaxWitnessBackoff);
                ActivityWitnessMetrics.Failed(witness);
                LogWitnessFailed(_logger, witness.Endpoint.Name, witness.Endpoint.Url.AbsoluteUri, latest.TreeSize, 0, ex.Message);
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Submits <paramref name="checkpoint"/>; on a 409 learns the witness's size and submits again (at most twice).</summary>
    internal async Task SubmitAsync(WitnessState witness, ActivityCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            long old = witness.KnownSize;
            if (old > checkpoint.TreeSize)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"the witness cosigned tree size {old} of this log, larger than its newest checkpoint {checkpoint.TreeSize}: the log lost records or checkpoints"));
            }

            IReadOnlyList<byte[]> proof = old == 0 || old == checkpoint.TreeSize
                ? []
                : (await _proofs.ConsistencyProofAsync(old, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false)).Path;
            var body = new StringBuilder();
            body.Append(CultureInfo.InvariantCulture, $"old {old}\n");
            foreach (byte[] hash in proof)
            {
                body.Append(Convert.ToBase64String(hash)).Append('\n');
            }

            body.Append('\n').Append(checkpoint.Note!.ToString());
            using var content = new StringContent(body.ToString(), Encoding.UTF8, "text/plain");
            using HttpResponseMessage response = await _http.PostAsync(new Uri(witness.Endpoint.Url, "add-checkpoint"), content, cancellationToken).ConfigureAwait(false);
            string answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 2 &&
                long.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                witness.KnownSize = size; // the witness's latest size: prove consistency from there
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"the witness answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(answer)}"));
            }

            NoteSignature[] cosignatures = Cosignatures(witness.Endpoint.Key, checkpoint, answer);
            if (cosignatures.Length == 0)
            {
                throw new InvalidOperationException("the witness answered 200 without a cosignature that verifies with its key");
            }

            await _options.Sink!.AddCosignaturesAsync(checkpoint.TreeSize, cosignatures, cancellationToken).ConfigureAwait(false);
            witness.Cosigned(checkpoint.TreeSize, cosignatures);
            LogCosigned(_logger, witness.Endpoint.Name, checkpoint.TreeSize);
            return;
        }
    }

    /// <summary>The signature lines of the answer that are the witness's and verify over the checkpoint.</summary>
    private static NoteSignature[] Cosignatures(NoteVerifier key, ActivityCheckpoint checkpoint, string answer)
    {
        byte[] text = Encoding.UTF8.GetBytes(checkpoint.Note!.Text);
        var valid = new List<NoteSignature>();
        foreach (string line in answer.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            NoteSignature signature;
            try
            {
                signature = NoteSignature.ParseLine(line);
            }
            catch (FormatException)
            {
                continue;
            }

            if (signature.KeyName == key.Name && signature.KeyId == key.KeyId && key.Verify(text, signature.Signature))
            {
                valid.Add(signature);
            }
        }

        return [.. valid];
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[MaxResponse];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Shorten(string text)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    public void Dispose()
    {
        _http.Dispose();
        _proofs.Dispose();
        foreach (WitnessState witness in _witnesses)
        {
            witness.Dispose();
        }
    }

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Witness {Witness} ({Url}) did not cosign checkpoint {TreeSize}; retrying in {WaitSeconds} s: {Problem}")]
    private static partial void LogWitnessFailed(ILogger logger, string witness, string url, long treeSize, double waitSeconds, string problem);

    [LoggerMessage(EventId = 35, Level = LogLevel.Debug, Message = "Witness {Witness} cosigned checkpoint {TreeSize}.")]
    private static partial void LogCosigned(ILogger logger, string witness, long treeSize);
}
