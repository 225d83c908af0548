using System.Collections;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Responses;

/// <summary>
/// Takes out of a resource what would be written empty: a blank string (<c>"intent": ""</c>), and an object or a list
/// left with nothing in it (<c>"note": [{}]</c>, <c>"subject": {}</c>). CDS Hooks and FHIR allow neither, and the lenient
/// reader keeps them from what an EHR sent, so a resource built from a draft order (the update of a replace suggestion)
/// is pruned before it is answered.
/// </summary>
public static class EmptyElements
{
    /// <summary>Prunes <paramref name="node"/> in place; true when nothing is left of it.</summary>
    public static bool Prune(Base node)
    {
        if (node is PrimitiveType primitive)
        {
            if (primitive.JsonValue is string text && string.IsNullOrWhiteSpace(text))
            {
                primitive.JsonValue = null;
            }

            primitive.Extension.RemoveAll(Prune);
            return primitive.JsonValue is null && primitive.Extension.Count == 0 && primitive.ElementId is null;
        }

        foreach (var (name, child) in node.EnumerateElements().ToList())
        {
            switch (child)
            {
                case Base single when Prune(single):
                    node.SetValue(name, null);
                    break;
                case IList list:
                    for (var i = list.Count - 1; i >= 0; i--)
                    {
                        if (list[i] is Base item && Prune(item))
                        {
                            list.RemoveAt(i);
                        }
                    }

                    break;
            }
        }

        return !node.EnumerateElements().Any();
    }
}
