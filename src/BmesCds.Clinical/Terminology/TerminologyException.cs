namespace BmesCds.Clinical.Terminology;

/// <summary>The clinical vocabulary is missing or malformed: the service must not start.</summary>
public sealed class TerminologyException : Exception
{
    public TerminologyException(string message)
        : base(message)
    {
    }

    public TerminologyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TerminologyException()
    {
    }
}
