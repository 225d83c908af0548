namespace BmesCds.CdsHooks.Requests;

/// <summary>Why a request cannot be served, and which field is at fault (e.g. `context.draftOrders`, `prefetch.observations`).</summary>
/// <param name="Field">The offending field as a dotted path from the request root; empty for the body as a whole.</param>
/// <param name="Message">What is wrong, in words an integration engineer can act on. Never quotes patient data or tokens.</param>
/// <param name="Kind">What kind of problem it is; the host maps it to an HTTP status.</param>
public sealed record ProtocolError(string Field, string Message, ProtocolErrorKind Kind = ProtocolErrorKind.Invalid)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";

    /// <summary>The HTTP status that answers this problem.</summary>
    public int HttpStatus => Kind switch
    {
        ProtocolErrorKind.PreconditionFailed => 412,
        ProtocolErrorKind.TooLarge => 413,
        _ => 400,
    };
}

/// <summary>Kinds of request problems.</summary>
public enum ProtocolErrorKind
{
    /// <summary>Malformed or contradictory content (400).</summary>
    Invalid,

    /// <summary>A required field is missing (400).</summary>
    Required,

    /// <summary>The data the service needs cannot be had (412).</summary>
    PreconditionFailed,

    /// <summary>A configured limit is exceeded: too many entries, too long a string, too deep (413).</summary>
    TooLarge,
}
