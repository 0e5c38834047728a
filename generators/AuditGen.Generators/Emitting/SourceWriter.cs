using System;
using System.Text;

namespace AuditGen.Generators;

/// <summary>Writes indented C#; blocks close themselves when disposed.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this, "}");
    }

    public IDisposable Block(string header, string close)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this, close);
    }

    public override string ToString() => _text.ToString();

    private sealed class Closer(SourceWriter writer, string close) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            writer.Line(close);
        }
    }
}
