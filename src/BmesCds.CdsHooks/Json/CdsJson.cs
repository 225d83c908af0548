using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmesCds.CdsHooks.Json;

/// <summary>
/// The JSON rules of CDS Hooks 2.0: camelCase names, and optional fields omitted rather than null
/// ("JSON attributes SHALL NOT be null"). Empty optional arrays are turned into nulls by the mappers, so they vanish too.
/// </summary>
public static class CdsJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // Card detail is markdown: keep '<', '>' and quotes readable; the body is always served as application/json.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

            // An update suggestion carries the EHR's draft order, which may nest as deep as a request may, inside the
            // card's own levels (and an explanation's): the writer's default of 64 failed such an answer with a 500.
            MaxDepth = RequestLimits.HighestMaxJsonDepth + 32,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
