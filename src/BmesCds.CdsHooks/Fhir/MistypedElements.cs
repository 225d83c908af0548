using System.Diagnostics.CodeAnalysis;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Drops what Firely's recoverable reading keeps although FHIR R4 does not allow it there: a primitive whose JSON value
/// has the wrong type (<c>"id": 1.5</c>, <c>"status": true</c>) and elements held in a POCO's overflow (<c>"id": []</c>,
/// <c>"code": "x"</c> for a CodeableConcept). Firely keeps both so that they round-trip, but reading the element's
/// property then throws, anywhere later; dropped here, each is a tolerated issue like any other the lenient reader
/// works around, and every property of the resource can be read.
/// </summary>
public static class MistypedElements
{
    public const string IssueCode = "WrongJsonType";

    /// <summary>Drops the mistyped parts of <paramref name="resource"/> in place; an issue for each, located by path.</summary>
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

        if (node is PrimitiveType { JsonValue: { } value } primitive && !Fits(primitive, value))
        {
            primitive.JsonValue = null;
            issues.Add(new FhirReadIssue(path, IssueCode, $"a {Describe(value)} where FHIR R4 has a {primitive.TypeName} was dropped"));
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

    // An element of the class given in a form its property cannot hold (a list for a single element, a string for a
    // complex type) sits in the overflow and its property throws: set to null, which also takes it out of the overflow.
    // Unknown elements stay there: no property reads them, and they are the EHR's to keep (an updated draft order).
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

    // What JSON holds for each primitive (Firely's JsonValue convention): a string, except booleans, integers and decimals.
    private static bool Fits(PrimitiveType primitive, object value) => primitive switch
    {
        FhirBoolean => value is bool,
        Integer or PositiveInt or UnsignedInt => value is int,
        FhirDecimal => value is decimal,
        _ => value is string,
    };

    private static string Describe(object value) => value switch
    {
        bool => "boolean",
        string => "string",
        _ => "number",
    };
}
