using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Writes a Firely POCO as FHIR R4 JSON straight into a <see cref="Utf8JsonWriter"/>, driven by Firely's own class
/// metadata (<see cref="ModelInspector"/>): elements in the model's order, each primitive as its <c>JsonValue</c>. It
/// exists for speed: a suggestion's resource is written on every call with a card, and Firely's serializer enumerates
/// each element through an iterator and a lazily created dictionary. It writes only what it is sure of: a resource
/// holding anything else (a primitive with an id or extensions, a decimal, base64 data, a contained resource, an empty element)
/// is left to Firely's serializer, and FhirPocoWriterTests hold the two equal on every resource of the repository.
/// </summary>
public static class FhirPocoWriter
{
    private static readonly ModelInspector Inspector = ModelInfo.ModelInspector;
    private static readonly ConcurrentDictionary<Type, ElementWriter[]> Tables = new();
    private static readonly JsonEncodedText ResourceType = JsonEncodedText.Encode("resourceType");

    /// <summary>Whether <see cref="Write"/> can write the resource: every part of it is of a kind this writer knows.</summary>
    public static bool CanWrite(Resource resource) => Writable(resource, isResource: true);

    /// <summary>Writes the resource; call only when <see cref="CanWrite"/> said yes.</summary>
    public static void Write(Utf8JsonWriter writer, Resource resource)
    {
        writer.WriteStartObject();
        writer.WriteString(ResourceType, resource.TypeName);
        WriteElements(writer, resource);
        writer.WriteEndObject();
    }

    private static bool Writable(Base instance, bool isResource)
    {
        var written = 0;
        foreach (var element in Table(instance.GetType()))
        {
            switch (element.Read(instance))
            {
                case null:
                    continue;
                case IList list:
                    if (list.Count == 0)
                    {
                        continue;
                    }

                    // By index: a foreach over IList would box the list's enumerator.
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is not Base value || !WritableValue(value))
                        {
                            return false;
                        }
                    }

                    break;
                case Base value:
                    if (!WritableValue(value))
                    {
                        return false;
                    }

                    break;
                case string { Length: > 0 }:
                    // An element kept as a plain string by the POCO (Extension.url, Element.id).
                    break;
                default:
                    return false;
            }

            written++;
        }

        // Firely leaves an empty element out (and an unknown element of the overflow in); both are left to it.
        return (written > 0 || isResource) && !instance.HasOverflow && instance is not DomainResource { Contained.Count: > 0 };
    }

    private static bool WritableValue(Base value) => value switch
    {
        Resource => false,
        Base64Binary => false, // Firely writes it as base64 of its bytes, escaped its own way
        PrimitiveType primitive => primitive.ElementId is null && primitive.Extension.Count == 0
            && primitive.JsonValue is string { Length: > 0 } or bool or int,
        _ => Writable(value, isResource: false),
    };

    private static void WriteElements(Utf8JsonWriter writer, Base instance)
    {
        foreach (var element in Table(instance.GetType()))
        {
            switch (element.Read(instance))
            {
                case null:
                    break;
                case IList { Count: > 0 } list:
                    writer.WritePropertyName(element.Name(list[0]!));
                    writer.WriteStartArray();
                    for (var i = 0; i < list.Count; i++)
                    {
                        WriteValue(writer, (Base)list[i]!);
                    }

                    writer.WriteEndArray();
                    break;
                case IList:
                    break;
                case Base value:
                    writer.WritePropertyName(element.Name(value));
                    WriteValue(writer, value);
                    break;
                case string text:
                    writer.WriteString(element.Name(text), text);
                    break;
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, Base value)
    {
        if (value is not PrimitiveType primitive)
        {
            writer.WriteStartObject();
            WriteElements(writer, value);
            writer.WriteEndObject();
            return;
        }

        switch (primitive.JsonValue)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            default:
                throw new InvalidOperationException($"FhirPocoWriter cannot write a {primitive.TypeName}; CanWrite should have said so.");
        }
    }

    private static ElementWriter[] Table(Type type) => Tables.GetOrAdd(type, static type =>
    [
        // In the FHIR element order (the mapping lists them by name).
        .. Inspector.FindOrImportClassMapping(type)!.PropertyMappings.OrderBy(property => property.Order).Select(property => new ElementWriter(property)),
    ]);

    /// <summary>One element of a class: how to read it and its JSON name (for a choice element, one per type).</summary>
    private sealed class ElementWriter(PropertyMapping property)
    {
        private readonly JsonEncodedText _name = JsonEncodedText.Encode(property.Name);
        private readonly ConcurrentDictionary<Type, JsonEncodedText>? _choiceNames =
            property.Choice == ChoiceType.DatatypeChoice ? new() : null;

        public PropertyMapping Property { get; } = property;

        // The POCO's generated lookup by element name: no reflection, no allocation.
        public object? Read(Base instance) => instance.TryGetValue(Property.Name, out var value) ? value : null;

        // "valueQuantity" for a Quantity in value[x]: the element's name and the FHIR type's name, capitalised.
        public JsonEncodedText Name(object value) => _choiceNames is null
            ? _name
            : _choiceNames.GetOrAdd(value.GetType(), static (type, name) =>
            {
                var fhirType = Inspector.FindOrImportClassMapping(type)!.Name;
                return JsonEncodedText.Encode(name + char.ToUpperInvariant(fhirType[0]) + fhirType[1..]);
            }, Property.Name);
    }
}
