using System.Text.Json;

namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// The <c>hook</c> a request body names, read without parsing the rest, for hosts that pick the service from the
/// request rather than from the URL (the console). Null when the body is not a JSON object with a string <c>hook</c>:
/// the pipeline's parser then reports exactly what is wrong, as it does for a service call.
/// </summary>
public static class RequestedHook
{
    public static string? Read(ReadOnlySpan<byte> body, int maxDepth)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isHook = reader.ValueTextEquals("hook"u8);
                reader.Read();
                if (isHook)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (Exception failure) when (failure is JsonException or InvalidOperationException)
        {
            // Not JSON, too deep, or text that is not UTF-8: the parser says so.
        }

        return null;
    }
}
