using System.Text;
using BmesCds.CdsHooks.Fhir;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>The one name lookup of the walk and the POCO reader: every name finds its value, and nothing else finds one.</summary>
public class Utf8NameTableTests
{
    private static readonly Utf8NameTable<int> Table = new([("code", 1), ("coding", 2), ("category", 3), ("meta", 4), ("c", 5), ("d\u00e9j\u00e0", 6)]);

    [TestCase("code", 1)]
    [TestCase("coding", 2)]
    [TestCase("category", 3)]
    [TestCase("meta", 4)]
    [TestCase("c", 5)]
    [TestCase("d\u00e9j\u00e0", 6)]
    public void A_name_finds_its_value(string name, int value)
    {
        Assert.That(Table.TryFind(Encoding.UTF8.GetBytes(name), out var found), Is.True);
        Assert.That(found, Is.EqualTo(value));
    }

    [TestCase("")]
    [TestCase("cod")]
    [TestCase("codes")]
    [TestCase("Code")]
    [TestCase("mode")]
    [TestCase("cods")]
    [TestCase("categoryX")]
    [TestCase("a name longer than every name of the table")]
    public void Any_other_name_finds_nothing(string name)
    {
        Assert.That(Table.TryFind(Encoding.UTF8.GetBytes(name), out var found), Is.False);
        Assert.That(found, Is.Zero);
    }

    [Test]
    public void A_name_given_twice_is_refused_when_the_table_is_built()
    {
        var refusal = Assert.Throws<ArgumentException>(() => _ = new Utf8NameTable<int>([("code", 1), ("code", 2)]));

        Assert.That(refusal!.Message, Does.Contain("'code' is given twice"));
    }

    [Test]
    public void All_lists_every_name_once_with_its_value()
    {
        Assert.That(Table.Count, Is.EqualTo(6));
        Assert.That(Table.All.Select(entry => (Encoding.UTF8.GetString(entry.Utf8), entry.Value)),
            Is.EquivalentTo(new[] { ("code", 1), ("coding", 2), ("category", 3), ("meta", 4), ("c", 5), ("d\u00e9j\u00e0", 6) }));
    }
}
