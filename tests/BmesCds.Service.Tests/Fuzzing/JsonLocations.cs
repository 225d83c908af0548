using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// One place in a JSON tree: the value there, how its parent holds it (a property name or an array index), its path
/// (<c>context.draftOrders.entry[0].resource.code</c>) and its shape, the path with the indexes left out
/// (<c>context.draftOrders.entry[].resource.code</c>), which is what the same field in other entries and other
/// requests share.
/// </summary>
public sealed record JsonLocation(string Path, string Shape, int Depth, JsonNode? Parent, string? Property, int Index, JsonNode? Value)
{
    public bool IsRoot => Parent is null;

    public JsonValueKind Kind => Value?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>Puts <paramref name="replacement"/> where this location's value was.</summary>
    public void Replace(JsonNode? replacement)
    {
        switch (Parent)
        {
            case JsonObject parent:
                parent[Property!] = replacement;
                break;
            case JsonArray parent:
                parent[Index] = replacement;
                break;
            default:
                throw new InvalidOperationException("the root is replaced by replacing the whole body");
        }
    }
}

/// <summary>Lists every location of a JSON tree, depth first, in document order (the same order for equal trees).</summary>
public static class JsonLocations
{
    public static List<JsonLocation> Of(JsonNode root)
    {
        var found = new List<JsonLocation>();
        Visit(new JsonLocation("$", "$", 0, null, null, -1, root), found);
        return found;
    }

    private static void Visit(JsonLocation location, List<JsonLocation> found)
    {
        found.Add(location);
        switch (location.Value)
        {
            case JsonObject value:
                foreach (var (name, child) in value.ToList())
                {
                    var path = location.IsRoot ? name : $"{location.Path}.{name}";
                    var shape = location.IsRoot ? name : $"{location.Shape}.{name}";
                    Visit(new JsonLocation(path, shape, location.Depth + 1, value, name, -1, child), found);
                }

                break;
            case JsonArray value:
                for (var i = 0; i < value.Count; i++)
                {
                    Visit(new JsonLocation($"{location.Path}[{i}]", $"{location.Shape}[]", location.Depth + 1, value, null, i, value[i]), found);
                }

                break;
        }
    }
}
