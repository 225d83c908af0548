using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Builds Firely POCOs straight from well-formed FHIR R4 JSON, driven by Firely's own class metadata
/// (<see cref="ModelInspector"/>): each element is set through the POCO's generated <c>SetValue</c>, each primitive through
/// its <c>JsonValue</c>, exactly as Firely's deserializer stores them. It exists for speed: Firely's deserializer builds a
/// path string and an issue list for every element and allocates about 17 times a resource's size; this reader allocates
/// little more than the POCOs. It reads only what it is sure of: any element it does not know, a primitive extension
/// (<c>_element</c>), a JSON type that does not fit, returns null, and the caller reads the resource with Firely instead
/// (whose lenient rules then apply). FhirPocoReaderTests hold it equal to Firely on every resource of the repository.
/// </summary>
public static class FhirPocoReader
{
    private static readonly ModelInspector Inspector = ModelInfo.ModelInspector;
    private static readonly ConcurrentDictionary<Type, ElementTable> Tables = new();

    /// <summary>The resource, or null when it holds anything this reader leaves to Firely.</summary>
    public static Resource? Read(ReadOnlySpan<byte> json, string resourceType)
    {
        if (!KnownResourceTypes.IsKnown(resourceType) || Inspector.FindClassMapping(resourceType) is not { IsResource: true } mapping)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                ? ReadObject(ref reader, Table(mapping.NativeType), isResource: true) as Resource
                : null;
        }
        catch (Exception failure) when (failure is InvalidCastException or ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            // A value the POCO does not take: Firely's reader knows how lenient to be with it.
            return null;
        }
    }

    // Reader at StartObject; on success it ends at the matching EndObject. An empty object, an element given twice (or
    // two forms of one choice) and a null are Firely's to judge.
    private static Base? ReadObject(ref Utf8JsonReader reader, ElementTable table, bool isResource)
    {
        var instance = table.Create();
        Span<ulong> seen = stackalloc ulong[ElementTable.MaxProperties / 64];
        var elements = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return elements > 0 ? instance : null;
            }

            if (isResource && reader.ValueTextEquals("resourceType"u8))
            {
                reader.Read();
                continue;
            }

            if (table.Find(ref reader) is not { } element || !FirstTime(seen, element.Property))
            {
                return null;
            }

            reader.Read();
            object? value = reader.TokenType == JsonTokenType.Null ? null
                : element.IsCollection ? ReadList(ref reader, element)
                : ReadValue(ref reader, element);
            if (value is null)
            {
                return null;
            }

            instance.SetValue(element.Name, value);
            elements++;
        }

        return null;
    }

    private static bool FirstTime(Span<ulong> seen, int property)
    {
        var bit = 1UL << (property % 64);
        ref var word = ref seen[property / 64];
        if ((word & bit) != 0)
        {
            return false;
        }

        word |= bit;
        return true;
    }

    private static Base? ReadValue(ref Utf8JsonReader reader, Element element)
    {
        if (element.IsPrimitive)
        {
            return ReadPrimitive(ref reader, element);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        if (!element.IsResource)
        {
            return ReadObject(ref reader, element.ValueTable, isResource: false);
        }

        // A contained resource: its type is in the object itself.
        var checkpoint = reader;
        return ResourceTypeOf(ref checkpoint) is { } type && KnownResourceTypes.IsKnown(type) && Inspector.FindClassMapping(type) is { IsResource: true } mapping
            ? ReadObject(ref reader, Table(mapping.NativeType), isResource: true)
            : null;
    }

    private static IList? ReadList(ref Utf8JsonReader reader, Element element)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var list = element.CreateList();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadValue(ref reader, element) is not { } item)
            {
                return null;
            }

            list.Add(item);
        }

        return list.Count == 0 ? null : list;
    }

    // A primitive's JsonValue is what JSON holds: a string, except booleans, integers and decimals (Firely's convention).
    private static PrimitiveType? ReadPrimitive(ref Utf8JsonReader reader, Element element)
    {
        object? value = (reader.TokenType, element.Json) switch
        {
            (JsonTokenType.String, JsonKind.String) => element.IsCodeLike ? CodeStrings.Get(ref reader) : reader.GetString(),
            (JsonTokenType.True or JsonTokenType.False, JsonKind.Boolean) => reader.GetBoolean(),
            (JsonTokenType.Number, JsonKind.Integer) when reader.TryGetInt32(out var integer) => integer,
            (JsonTokenType.Number, JsonKind.Decimal) when reader.TryGetDecimal(out var number) => number,
            _ => null,
        };
        if (value is null || (value is string text && text.Length == 0))
        {
            return null;
        }

        var primitive = (PrimitiveType)element.CreateValue();
        primitive.JsonValue = value;
        return primitive;
    }

    private static string? ResourceTypeOf(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("resourceType"u8);
            reader.Read();
            if (isType)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    private static ElementTable Table(Type type) => Tables.GetOrAdd(type, static type => new ElementTable(type));

    private enum JsonKind
    {
        String,
        Boolean,
        Integer,
        Decimal,
    }

    /// <summary>One serialized name of a class's element: "code", or for a choice element one of its forms ("valueQuantity").</summary>
    private sealed class Element
    {
        private readonly Func<Base>? _createValue;
        private readonly Func<IList>? _createList;
        private ElementTable? _valueTable;

        public Element(string json, int index, PropertyMapping property, ClassMapping valueMapping)
        {
            JsonName = json;
            Property = index;
            Name = property.Name;
            IsCollection = property.IsCollection;
            Type = valueMapping.NativeType;
            IsResource = typeof(Resource).IsAssignableFrom(Type);
            IsPrimitive = valueMapping.IsFhirPrimitive;
            IsCodeLike = IsPrimitive && (typeof(Code).IsAssignableFrom(Type) || (Type.IsGenericType && Type.GetGenericTypeDefinition() == typeof(Code<>))
                || Type == typeof(FhirUri) || Type == typeof(Canonical)
                || (property.DeclaringClass.NativeType == typeof(Coding) && property.Name == "display")
                || (typeof(Quantity).IsAssignableFrom(property.DeclaringClass.NativeType) && property.Name == "unit"));
            Json = Type == typeof(FhirBoolean) ? JsonKind.Boolean
                : Type == typeof(FhirDecimal) ? JsonKind.Decimal
                : Type == typeof(Integer) || Type == typeof(PositiveInt) || Type == typeof(UnsignedInt) ? JsonKind.Integer
                : JsonKind.String;
            if (!IsResource)
            {
                var mapping = Inspector.FindOrImportClassMapping(Type)!;
                _createValue = () => (Base)mapping.CreateInstance();
            }

            _createList = CompiledList(property.ImplementingType);
        }

        // A list of the property's declared item type (List<Coding>, List<Resource> for contained) with room for one
        // item: most FHIR lists hold one (a coding, a category), and the default first growth makes room for four.
        private static Func<IList> CompiledList(Type itemType)
        {
            var listType = typeof(List<>).MakeGenericType(itemType);
            var create = System.Linq.Expressions.Expression.Lambda<Func<IList>>(
                System.Linq.Expressions.Expression.New(listType.GetConstructor([typeof(int)])!, System.Linq.Expressions.Expression.Constant(1))).Compile();
            return create;
        }

        /// <summary>The element's name in JSON.</summary>
        public string JsonName { get; }

        /// <summary>The index of its property in the class: two forms of one choice element share it.</summary>
        public int Property { get; }

        public string Name { get; }

        public bool IsCollection { get; }

        public Type Type { get; }

        public bool IsResource { get; }

        public bool IsPrimitive { get; }

        /// <summary>A code, URI, coding display or unit: vocabulary that repeats across calls, read through <see cref="CodeStrings"/>.</summary>
        public bool IsCodeLike { get; }

        public JsonKind Json { get; }

        public Base CreateValue() => _createValue!();

        /// <summary>The table of the element's own type, kept here so that a nested object costs no dictionary lookup.</summary>
        public ElementTable ValueTable => _valueTable ??= Table(Type);

        public IList CreateList() => _createList!();
    }

    /// <summary>The serialized names of one class's elements, with how to build each value.</summary>
    private sealed class ElementTable
    {
        /// <summary>No FHIR R4 type has more elements than this.</summary>
        public const int MaxProperties = 128;

        private readonly Utf8NameTable<Element> _elements;
        private readonly Func<Base> _create;

        public ElementTable(Type type)
        {
            var mapping = Inspector.FindOrImportClassMapping(type)!;
            _create = () => (Base)mapping.CreateInstance();
            var elements = new List<Element>();
            var index = 0;
            foreach (var property in mapping.PropertyMappings.Take(MaxProperties))
            {
                if (property.Choice == ChoiceType.DatatypeChoice)
                {
                    foreach (var choice in property.FhirTypeMappings)
                    {
                        elements.Add(new Element(property.Name + char.ToUpperInvariant(choice.Name[0]) + choice.Name[1..], index, property, choice));
                    }
                }
                else if (property.FhirTypeMappings is [var single])
                {
                    // The implementing type is the precise one (Code<ObservationStatus>, not code); a contained
                    // resource's type is read from the object itself.
                    elements.Add(new Element(property.Name, index, property, property.Choice == ChoiceType.ResourceChoice || property.ImplementingType.IsAbstract
                        ? single
                        : Inspector.FindOrImportClassMapping(property.ImplementingType)!));
                }

                index++;
            }

            _elements = new(elements.Select(element => (element.JsonName, element)));
        }

        public Base Create() => _create();

        // Reader at a property name: its element, or null for a name this reader leaves to Firely.
        public Element? Find(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                return null;
            }

            return _elements.TryFind(reader.ValueSpan, out var element) ? element : null;
        }
    }
}
