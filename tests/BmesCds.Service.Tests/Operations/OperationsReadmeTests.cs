using System.Diagnostics.Metrics;
using System.Reflection;
using BmesCds.Service.Management;
using BmesCds.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Operations;

/// <summary>Keeps README "Operations" in step with the code: every instrument of the BmesCds meter (name, unit, each
/// tag) and every Management setting is documented there.</summary>
public sealed class OperationsReadmeTests
{
    private static string Section()
    {
        var readme = File.ReadAllText(Repository.Combine("README.md"));
        var start = readme.IndexOf("## Operations", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has no '## Operations' section");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    [Test]
    public void Every_instrument_is_in_the_readme_table_with_its_unit_and_tags()
    {
        var instruments = new List<Instrument>();
        using var services = new ServiceCollection().AddBmesMetrics().BuildServiceProvider();
        _ = services.GetRequiredService<BmesMetrics>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == BmesMetrics.MeterName)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        var section = Section();
        var tags = typeof(BmesMetrics.Tags).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (string)field.GetValue(null)!);

        Assert.That(instruments, Has.Count.GreaterThanOrEqualTo(9));
        Assert.Multiple(() =>
        {
            foreach (var instrument in instruments)
            {
                var row = section.Split('\n').FirstOrDefault(line => line.StartsWith($"| `{instrument.Name}` |", StringComparison.Ordinal));
                Assert.That(row, Is.Not.Null, $"README Operations has no row for {instrument.Name}");
                Assert.That(row, Does.Contain($"`{instrument.Unit}`"), $"{instrument.Name}: its unit");
            }

            foreach (var tag in tags)
            {
                Assert.That(section, Does.Contain($"`{tag}`"), $"tag {tag}");
            }
        });
    }

    [Test]
    public void Every_management_setting_is_in_the_readme_table()
    {
        var keys = typeof(ManagementOptions)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite || property.Name == "ApiKeys")
            .Select(property => $"Management:{property.Name}");
        var section = Section();

        Assert.That(keys.Where(key => !section.Contains($"`{key}", StringComparison.Ordinal)), Is.Empty);
    }
}
