using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Docs;

/// <summary>
/// The README's table of every setting the options classes bind (<see cref="KnownSettings.Sections"/>): one row per
/// key, its default read from a new options object, and its meaning from the property's XML summary. Generated, so a
/// new setting cannot go undocumented and a renamed one cannot linger in the README.
/// </summary>
public static partial class SettingsTable
{
    public const string StartMarker = "<!-- settings-table:start -->";
    public const string EndMarker = "<!-- settings-table:end -->";

    public sealed record Row(string Key, string Default, string Meaning);

    public static IReadOnlyList<Row> Rows()
    {
        var docs = new Summaries();
        var rows = new List<Row>();
        foreach (var (section, types) in KnownSettings.Sections)
        {
            foreach (var type in types)
            {
                Walk(section, type, Activator.CreateInstance(type, nonPublic: true), docs, rows);
            }
        }

        return rows;
    }

    public static string ToMarkdown()
    {
        var text = new StringBuilder("\n| Key | Default | Meaning |\n|---|---|---|\n");
        foreach (var row in Rows())
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{row.Key}` | {row.Default} | {row.Meaning} |\n");
        }

        return text.ToString();
    }

    private static void Walk(string prefix, Type type, object? instance, Summaries docs, List<Row> rows)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var bindable = property.SetMethod?.IsPublic == true || IsMutableCollection(propertyType);
            if (!bindable || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            if (IsValue(propertyType))
            {
                rows.Add(new Row(key, Format(value), docs.Of(property)));
            }
            else if (DictionaryValueType(propertyType) is { } entry)
            {
                Item(key + ":{name}", entry, value, property, docs, rows);
            }
            else if (ItemType(propertyType) is { } item)
            {
                Item(key + ":{n}", item, value, property, docs, rows);
            }
            else
            {
                Walk(key, propertyType, value ?? Activator.CreateInstance(propertyType, nonPublic: true), docs, rows);
            }
        }
    }

    private static void Item(string key, Type item, object? collection, PropertyInfo property, Summaries docs, List<Row> rows)
    {
        if (IsValue(item))
        {
            rows.Add(new Row(key, Format(collection), docs.Of(property)));
            return;
        }

        if (ItemType(item) is { } inner)
        {
            Item(key + ":{n}", inner, null, property, docs, rows);
            return;
        }

        Walk(key, item, Activator.CreateInstance(item, nonPublic: true), docs, rows);
    }

    private static string Format(object? value) => value switch
    {
        null => "–",
        string text when text.Length == 0 => "–",
        string text => $"`{text}`",
        bool flag => flag ? "`true`" : "`false`",
        Uri uri => $"`{uri}`",
        IFormattable number => $"`{number.ToString(null, CultureInfo.InvariantCulture)}`",
        IDictionary { Count: 0 } or ICollection { Count: 0 } => "–",
        IEnumerable items when items.Cast<object?>().All(item => item is string or IFormattable) =>
            "`" + string.Join(", ", items.Cast<object?>().Select(item => Convert.ToString(item, CultureInfo.InvariantCulture))) + "`",
        IEnumerable => "see below",
        _ => "–",
    };

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan);

    private static bool IsMutableCollection(Type type) =>
        type.IsArray || type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(ICollection<>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>)));

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;

    /// <summary>The XML documentation of the service's assemblies, copied beside this test assembly by the build.</summary>
    private sealed partial class Summaries
    {
        private readonly Dictionary<string, string> _byMember = new(StringComparer.Ordinal);

        public Summaries()
        {
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "BmesCds.*.xml"))
            {
                foreach (var member in XDocument.Load(file).Descendants("member"))
                {
                    if (member.Element("summary") is { } summary)
                    {
                        _byMember[(string)member.Attribute("name")!] = Text(summary);
                    }
                }
            }
        }

        public string Of(PropertyInfo property) =>
            _byMember.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}") ?? "";

        private static string Text(XElement summary)
        {
            var text = new StringBuilder();
            foreach (var node in summary.Nodes())
            {
                text.Append(node switch
                {
                    XText plain => plain.Value,
                    XElement { Name.LocalName: "c" or "code" } code => $"`{code.Value}`",
                    XElement { Name.LocalName: "see" } see => $"`{Cref(see)}`",
                    XElement { Name.LocalName: "paramref" or "typeparamref" } reference => $"`{(string?)reference.Attribute("name")}`",
                    XElement other => other.Value,
                    _ => "",
                });
            }

            return Whitespace().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
        }

        private static string Cref(XElement see) =>
            ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value).Split(':').Last().Split('.').Last();

        [GeneratedRegex(@"\s+")]
        private static partial Regex Whitespace();
    }
}
