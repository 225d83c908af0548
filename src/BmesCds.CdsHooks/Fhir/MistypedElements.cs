using System.Diagnostics.CodeAnalysis;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Drops what Firely's recoverable reading keeps although no code can read it: an element given in a form its property
/// cannot hold (<c>"id": []</c>, <c>"status": ["draft"]</c>, <c>"code": "x"</c> for a CodeableConcept), which Firely keeps
/// in the POCO's overflow so that reading the property throws, anywhere later; and a resource id that is not a string
/// (<c>"id": 1.5</c>), which the engine, the ledger and the rewriter read to match orders. Each is a tolerated issue like
/// any other the lenient reader works around. Other primitives keep a value of the wrong JSON type as sent: the clinical
/// readers read it without the throwing accessor and name what they cannot read (BMES-RULES 7a, C7).
/// </summary>
public static class MistypedElements
{
    public const string IssueCode = "WrongJsonType";

    /// <summary>Drops the unreadable parts of <paramref name="resource"/> in place; an issue for each, located by path.</summary>
    public static List<FhirReadIssue> DropFrom(Resource resource)
    {
        var issues = new List<FhirReadIssue>();
        Visit(resource, resource.TypeName, issues);
        return issues;
    }

    private static void Visit(Base node, string path, List<FhirReadIssue> issues)
    {
        if (node.HasOverflow)
        {
            DropOverflowingProperties(node, path, issues);
        }

        // Contained resources too: their ids are what "#id" references name.
        if (node is Resource { IdElement: { JsonValue: { } value and not string } id })
        {
            id.JsonValue = null;
            issues.Add(new FhirReadIssue($"{path}.id", IssueCode, $"a resource id that is a {(value is bool ? "boolean" : "number")}, not a string, was dropped"));
        }

        foreach (var (name, child) in node.EnumerateElements())
        {
            switch (child)
            {
                case Base single:
                    Visit(single, $"{path}.{name}", issues);
                    break;
                case IEnumerable<Base> list:
                    var index = 0;
                    foreach (var item in list)
                    {
                        Visit(item, $"{path}.{name}[{index++}]", issues);
                    }

                    break;
            }
        }
    }

    // An element of the class given in a form its property cannot hold sits in the overflow and its property throws: set
    // to null, which also takes it out of the overflow. Unknown elements stay there: no property reads them, and they are
    // the EHR's to keep (an updated draft order).
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Whatever the property throws, the element cannot be read.")]
    private static void DropOverflowingProperties(Base node, string path, List<FhirReadIssue> issues)
    {
        if (ModelInfo.ModelInspector.FindOrImportClassMapping(node.GetType()) is not { } mapping)
        {
            return;
        }

        foreach (var name in node.EnumerateElements().Select(element => element.Key).ToList())
        {
            if (mapping.FindMappedElementByName(name) is not { NativeProperty: { } property })
            {
                continue;
            }

            try
            {
                property.GetValue(node);
            }
            catch (Exception)
            {
                node.SetValue(name, null);
                issues.Add(new FhirReadIssue($"{path}.{name}", IssueCode, "an element given in a JSON form FHIR R4 does not allow here was dropped"));
            }
        }
    }
}
