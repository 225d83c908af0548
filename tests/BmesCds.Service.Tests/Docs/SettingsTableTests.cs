using BmesCds.Service.Hosting;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace BmesCds.Service.Tests.Docs;

/// <summary>The README's settings table is generated from the options classes; BMES_UPDATE_README=1 rewrites it.</summary>
public sealed class SettingsTableTests
{
    [Test]
    public void Readme_settings_table_matches_the_options_classes()
    {
        var path = Repository.Combine("README.md");
        var readme = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = readme.IndexOf(SettingsTable.StartMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(SettingsTable.EndMarker, StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, Is.True, "README.md needs the settings-table markers");
        var current = readme[(start + SettingsTable.StartMarker.Length)..end];
        var expected = SettingsTable.ToMarkdown();
        if (current != expected && Environment.GetEnvironmentVariable("BMES_UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..(start + SettingsTable.StartMarker.Length)] + expected + readme[end..]);
            Assert.Pass("README.md settings table rewritten.");
        }

        Assert.That(current, Is.EqualTo(expected), "Run the tests with BMES_UPDATE_README=1 to regenerate the README settings table.");
    }

    [Test]
    public void Every_setting_says_what_it_does()
    {
        var rows = SettingsTable.Rows();

        Assert.That(rows, Has.Count.GreaterThan(60));
        Assert.That(rows.Where(row => row.Meaning.Length == 0).Select(row => row.Key), Is.Empty, "add a <summary> to the property");
        Assert.That(rows.Select(row => row.Key), Is.Unique);
    }

    [Test]
    public void Every_key_the_readme_names_in_a_table_is_a_setting_the_service_reads()
    {
        var readme = File.ReadAllText(Repository.Combine("README.md"));
        var named = System.Text.RegularExpressions.Regex.Matches(readme, @"^\| `([A-Za-z]+:[A-Za-z0-9:{}]+)`", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(match => System.Text.RegularExpressions.Regex.Replace(match.Groups[1].Value, @"(?<=:)(\{n\}|N|M)(?=:|$)", "0")
                .Replace("{name}", "x", StringComparison.Ordinal).Replace("{id}", "bmes-order-select", StringComparison.Ordinal)
                .Replace("{serviceId}", "bmes-order-select", StringComparison.Ordinal))
            // Rows of a section's own table that name keys relative to it (`AllowedServers:N` under "Fhir") are not full keys.
            .Where(key => KnownSettings.Sections.ContainsKey(key.Split(':')[0]) || KnownSettings.IsPlain(key))
            .Distinct()
            .ToList();

        Assert.That(named, Has.Count.GreaterThan(60));
        Assert.That(named.Select(key => KnownSettings.Problem(key, null)).OfType<string>(), Is.Empty);
    }

    [TestCase("Validation:ProfilesDirectory", "/srv/profiles", "Terminology:Directory")]
    [TestCase("Clinical:SourceLabel", "Hospital CDS", "Cards:SourceLabel")]
    public void An_old_key_still_works_as_its_new_key_with_a_warning(string old, string value, string renamed)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { [old] = value });

        var warnings = RenamedSettings.Apply(configuration);

        Assert.That(configuration[renamed], Is.EqualTo(value));
        Assert.That(warnings, Has.One.Contains(old).And.Contains(renamed));
    }

    [Test]
    public void An_old_and_a_new_key_that_disagree_stop_the_start_naming_both()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Clinical:SourceLabel"] = "A", ["Cards:SourceLabel"] = "B" });

        var failure = Assert.Throws<StartupConfigurationException>(() => RenamedSettings.Apply(configuration));

        Assert.That(failure!.Message, Does.Contain("Clinical:SourceLabel").And.Contain("Cards:SourceLabel"));
    }

    [Test]
    public async Task The_old_source_label_key_still_labels_the_cards()
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Clinical:SourceLabel"] = "Old Key CDS" });
        using var client = factory.CreateClient();

        using var answer = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(Json.Load(SampleFiles.FullPath("cases/C1-ct-after-normal-left-hip-xray.request.json"))));
        var body = await answer.Content.ReadAsStringAsync();

        Assert.That(body, Does.Contain("\"label\":\"Old Key CDS\""));
        Assert.That(factory.Logs.Lines, Has.Some.Contains("Clinical:SourceLabel is the old name of Cards:SourceLabel"));
    }

    [TestCase("Clinical:XrayWindowDays", "0", "Clinical:XrayWindowDays must be from 1 to 3650")]
    [TestCase("Clinical:FeverCelsius", "3.8", "Clinical:FeverCelsius must be from 36 to 43")]
    [TestCase("Clinical:CrpHighMgPerL", "-1", "Clinical:CrpHighMgPerL must be from 0.1 to 500")]
    [TestCase("Cards:SourceLabel", " ", "Cards:SourceLabel must not be empty")]
    [TestCase("Cards:SourceIcon", "ftp://x.example/icon.png", "Cards:SourceIcon")]
    [TestCase("Cors:AllowedOrigins:0", "https://ehr.example.org/", "Cors:AllowedOrigins: 'https://ehr.example.org/' is not an origin")]
    [TestCase("Terminology:Directory", " ", "Terminology:Directory must name the fhir-profiles folder")]
    [TestCase("Memory:IdleTrimSeconds", "-1", "Memory:IdleTrimSeconds must be 0 (off) or 1-3600")]
    public void A_setting_out_of_range_stops_the_start_naming_it(string key, string value, string message)
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure, Is.InstanceOf<StartupConfigurationException>().Or.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>());
        Assert.That(StartupFailure.Explain(failure!), Does.Contain(message));
    }
}
