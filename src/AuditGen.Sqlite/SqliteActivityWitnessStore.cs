using AuditGen.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>
/// A witness's state in a SQLite file of its own (never the log's database): the witness's cosignature key, the log keys it
/// trusts per origin, and per origin the latest checkpoint it cosigned. Writes are synchronous to disk (WAL,
/// <c>synchronous=FULL</c>) and the compare-and-advance of <see cref="TryAdvanceAsync"/> is one immediate transaction, so
/// a cosignature is returned only after its state is durable, and a restart resumes exactly there.
/// </summary>
public sealed class SqliteActivityWitnessStore : IActivityWitnessStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating when missing) the witness state at <paramref name="path"/>.</summary>
    /// <param name="path">The state file, such as <c>witness.db</c>.</param>
    public SqliteActivityWitnessStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS witness_key (id INTEGER PRIMARY KEY CHECK (id = 1), signer TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS witness_log_keys (origin TEXT NOT NULL, vkey TEXT NOT NULL, PRIMARY KEY (origin, vkey));
            CREATE TABLE IF NOT EXISTS witness_checkpoints (origin TEXT PRIMARY KEY, tree_size INTEGER NOT NULL, root_hash BLOB NOT NULL, note TEXT NOT NULL);
            """);
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>
    /// The witness's cosignature key kept in this file, created on first use with <paramref name="name"/>. Back the file
    /// up and keep it private: whoever holds the key can cosign as this witness.
    /// </summary>
    /// <param name="name">The name of a new key, such as <c>witness.example.com/w1</c>; ignored when the file has a key.</param>
    /// <returns>The key and whether it was created now.</returns>
    public (NoteSigner Key, bool Created) LoadOrCreateKey(string name)
    {
        using SqliteConnection connection = Open();
        using (SqliteCommand read = connection.CreateCommand())
        {
            read.CommandText = "SELECT signer FROM witness_key WHERE id = 1";
            if (read.ExecuteScalar() is string existing)
            {
                return (NoteSigner.Parse(existing), false);
            }
        }

        NoteSigner key = NoteSigner.Generate(name, NoteSignatureType.CosignatureV1);
        using SqliteCommand write = connection.CreateCommand();
        write.CommandText = "INSERT INTO witness_key (id, signer) VALUES (1, $signer) ON CONFLICT (id) DO NOTHING";
        write.Parameters.AddWithValue("$signer", key.ToString());
        write.ExecuteNonQuery();
        return (NoteSigner.Parse(Scalar<string>(connection, "SELECT signer FROM witness_key WHERE id = 1")), true);
    }

    /// <summary>Trusts <paramref name="logKey"/> for the origin of its name (the log's checkpoint note key: name = origin). Kept across restarts.</summary>
    /// <param name="logKey">The log's verifier key.</param>
    /// <exception cref="ArgumentException">A cosignature key, which signs no checkpoints.</exception>
    public void TrustLogKey(NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        if (logKey.Type == NoteSignatureType.CosignatureV1)
        {
            throw new ArgumentException($"logKey '{logKey.Name}' is a cosignature key: a log's key is Ed25519 or ECDSA.", nameof(logKey));
        }

        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "INSERT INTO witness_log_keys (origin, vkey) VALUES ($origin, $vkey) ON CONFLICT DO NOTHING";
        command.Parameters.AddWithValue("$origin", logKey.Name);
        command.Parameters.AddWithValue("$vkey", logKey.ToString());
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> OriginsAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT origin FROM witness_log_keys ORDER BY origin";
        var origins = new List<string>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            origins.Add(reader.GetString(0));
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(origins);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<NoteVerifier>> LogKeysAsync(string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT vkey FROM witness_log_keys WHERE origin = $origin";
        command.Parameters.AddWithValue("$origin", origin);
        var keys = new List<NoteVerifier>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(NoteVerifier.Parse(reader.GetString(0)));
        }

        return ValueTask.FromResult<IReadOnlyList<NoteVerifier>>(keys);
    }

    /// <inheritdoc/>
    public ValueTask<ActivityWitnessedCheckpoint?> LatestAsync(string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        using SqliteConnection connection = Open();
        return ValueTask.FromResult(Latest(connection, null, origin));
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAdvanceAsync(long oldSize, ActivityWitnessedCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one writer checks and advances
        long current = Latest(connection, transaction, checkpoint.Origin)?.TreeSize ?? 0;
        if (current != oldSize)
        {
            return ValueTask.FromResult(false);
        }

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO witness_checkpoints (origin, tree_size, root_hash, note) VALUES ($origin, $size, $root, $note)
            ON CONFLICT (origin) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash, note = excluded.note
            """;
        command.Parameters.AddWithValue("$origin", checkpoint.Origin);
        command.Parameters.AddWithValue("$size", checkpoint.TreeSize);
        command.Parameters.AddWithValue("$root", checkpoint.RootHash);
        command.Parameters.AddWithValue("$note", checkpoint.Note);
        command.ExecuteNonQuery();
        transaction.Commit();
        return ValueTask.FromResult(true);
    }

    private static ActivityWitnessedCheckpoint? Latest(SqliteConnection connection, SqliteTransaction? transaction, string origin)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT tree_size, root_hash, note FROM witness_checkpoints WHERE origin = $origin";
        command.Parameters.AddWithValue("$origin", origin);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? new ActivityWitnessedCheckpoint(origin, reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetString(2)) : null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
