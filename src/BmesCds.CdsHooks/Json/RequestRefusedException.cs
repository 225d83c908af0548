using BmesCds.CdsHooks.Requests;

namespace BmesCds.CdsHooks.Json;

/// <summary>
/// Thrown from deep inside the one-pass request walk when the request must be refused (a limit, a malformed part);
/// caught at the top of the parse and turned into its <see cref="ProtocolError"/>. Never escapes the parser.
/// </summary>
public sealed class RequestRefusedException(ProtocolError error) : Exception(error.ToString())
{
    public ProtocolError Error { get; } = error;

    public RequestRefusedException()
        : this(new ProtocolError(string.Empty, "refused"))
    {
    }

    public RequestRefusedException(string message)
        : this(new ProtocolError(string.Empty, message))
    {
    }

    public RequestRefusedException(string message, Exception innerException)
        : this(new ProtocolError(string.Empty, message)) => _ = innerException;
}
