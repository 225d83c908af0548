namespace BmesCds.CdsHooks.Requests;

/// <summary>Either a parsed value or the first protocol error found.</summary>
public readonly record struct Parsed<T>(T? Value, ProtocolError? Error)
    where T : class
{
    public static implicit operator Parsed<T>(T value) => new(value, null);

    public static implicit operator Parsed<T>(ProtocolError error) => new(null, error);
}
