using System.Text.RegularExpressions;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BmesCds.Service.Tests.IntegrationConsole.Browser;

/// <summary>
/// The console as an integration engineer uses it, in headless Chromium against the real host on Kestrel (Development,
/// no client authentication, the clock at the samples' "now"): pick a sample, send it, read the card and why it came;
/// a silent sample; and card text that tries to be HTML.
/// </summary>
[TestFixture]
public sealed partial class ConsolePageTests
{
    private const string C1 = "C1-ct-after-normal-left-hip-xray";

    private KestrelHost _host = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private List<string> _errors = null!;

    [OneTimeSetUp]
    public async Task StartHost() => _host = await KestrelHost.StartAsync();

    [OneTimeTearDown]
    public void StopHost() => _host?.Dispose();

    [SetUp]
    public async Task OpenConsole()
    {
        (_context, _page, _errors) = await ConsoleBrowser.OpenAsync();
        await _page.GotoAsync(_host.Url("/console"));
        await _page.Locator("#sample[data-loaded]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    [TearDown]
    public async Task CloseConsole() => await _context.CloseAsync();

    private async Task SendSampleAsync(string id)
    {
        await _page.Locator("#sample").SelectOptionAsync(id);
        await Expect(_page.Locator("#now")).ToHaveValueAsync("2026-11-28T12:00:00Z");
        await _page.Locator("#send").ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveAttributeAsync("data-status", "200");
    }

    [Test]
    public async Task C1_picked_and_sent_shows_the_replace_with_mri_warning_card_and_why_the_rule_fired()
    {
        await SendSampleAsync(C1);

        var golden = Json.Load(SampleFiles.ResponsePath($"cases/{C1}.request.json"))["cards"]![0]!;
        var card = _page.Locator("#cards .card");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToHaveAttributeAsync("data-indicator", "warning");
        await Expect(card).ToHaveClassAsync(new Regex(@"\bindicator-warning\b"));
        await Expect(card.Locator(".indicator")).ToHaveTextAsync("warning");
        await Expect(card.Locator(".card-summary")).ToHaveTextAsync((string)golden["summary"]!);
        await Expect(card.Locator(".card-source")).ToContainTextAsync("Replace with MRI without contrast (replace-with-mri)");
        // The detail's Markdown, rendered: the bold title, the rule id as code, the findings as a list.
        await Expect(card.Locator(".card-detail strong").First).ToHaveTextAsync("Replace with MRI without contrast");
        await Expect(card.Locator(".card-detail code").First).ToHaveTextAsync("replace-with-mri");
        await Expect(card.Locator(".card-detail li")).ToHaveTextAsync(new Regex[]
        {
            new("^Pain: Pain in left hip"), new("^X-ray, normal: "), new("^Labs, not raised: CRP 3 mg/L"),
        });
        await Expect(card.Locator(".card-detail")).Not.ToContainTextAsync("**");
        await Expect(card.Locator(".suggestion summary")).ToHaveTextAsync("Order MRI of the left hip without contrast insteadrecommended");
        await Expect(card.Locator(".card-links a")).ToHaveAttributeAsync("href", "https://acsearch.acr.org/list");

        // The explanation, from the pipeline.
        var judgement = _page.Locator("#explanation .judgement");
        await Expect(judgement).ToHaveCountAsync(1);
        await Expect(judgement.Locator("h3")).ToHaveTextAsync("ServiceRequest/ct-hip-left (left hip)");
        await Expect(judgement.Locator(".verdict")).ToHaveTextAsync("Card: replace-with-mri");
        var fired = judgement.Locator("tr.rule[data-outcome='fired']");
        await Expect(fired).ToHaveCountAsync(1);
        await Expect(fired).ToHaveAttributeAsync("data-rule", "replace-with-mri");
        await Expect(fired.Locator(".why")).ToContainTextAsync("After a normal radiograph, MRI without IV contrast is the study of choice");
        await Expect(fired.Locator(".fires-when")).ToContainTextAsync("Fires when: PAIN, XR_NORMAL (90 days)");
        await Expect(judgement.Locator("tr.rule[data-outcome='did-not-fire']")).ToHaveCountAsync(5);
        await Expect(judgement.Locator("tr[data-finding='PAIN']")).ToContainTextAsync("Pain in left hip (M25.552), 2026-10-24");
        await Expect(judgement.Locator("tr[data-finding='XR_NORMAL']")).ToContainTextAsync("2026-11-07");

        var keys = _page.Locator("#prefetch-keys tbody tr");
        await Expect(keys).ToHaveCountAsync(10);
        await Expect(_page.Locator("#prefetch-keys tr[data-source='supplied']")).ToHaveCountAsync(10);
        await Expect(_page.Locator("#prefetch-keys tr[data-key='patient'] td").Nth(2)).ToHaveTextAsync("1");
        await Expect(_page.Locator("#timings td")).ToHaveTextAsync(Enumerable.Repeat(new Regex(@"^\d+(\.\d+)? ms$"), 5).ToArray());
        Assert.That(_errors, Is.Empty, "no script error, no blocked resource");
    }

    [Test]
    public async Task A_silent_sample_shows_no_cards_and_why_it_is_silent()
    {
        await SendSampleAsync("C2-first-right-hip-xray");

        await Expect(_page.Locator("#cards .card")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#cards .no-cards")).ToHaveTextAsync("No cards");
        await Expect(_page.Locator("#cards li.silence")).ToHaveTextAsync(
            "ServiceRequest/xr-hip-right (right hip): first X-ray of the hip: radiographs first (only osteonecrosis-risk may speak) (first-xray)");
        await Expect(_page.Locator("#explanation .verdict.silent")).ToContainTextAsync("Silent (first-xray)");
        await Expect(_page.Locator("#explanation tr.rule[data-rule='osteonecrosis-risk']")).ToHaveAttributeAsync("data-outcome", "did-not-fire");
        await Expect(_page.Locator("#explanation tr.rule[data-outcome='not-run']")).ToHaveCountAsync(5);
        Assert.That(_errors, Is.Empty);
    }

    [Test]
    public async Task Card_text_that_looks_like_html_is_shown_as_text_and_never_run()
    {
        // A pasted request whose pain Condition carries markup in its text: it reaches the card detail as evidence.
        const string Hostile = "<script>window.__consolePwned = 1</script><img src=x onerror=\"window.__consolePwned = 2\"> "
            + "[open](javascript:window.__consolePwned=3) Pain in left hip";
        var request = Json.Load(SampleFiles.FullPath($"cases/{C1}.request.json"));
        var condition = request["prefetch"]!["conditions"]!["entry"]![0]!["resource"]!;
        condition["code"]!["text"] = Hostile;
        await _page.Locator("#request").FillAsync(request.ToJsonString());
        await _page.Locator("#send").ClickAsync();

        var detail = _page.Locator("#cards .card .card-detail");
        await Expect(detail).ToContainTextAsync("<script>window.__consolePwned = 1</script><img src=x onerror=\"window.__consolePwned = 2\">");
        await Expect(detail.Locator("script, img, iframe, [onerror]")).ToHaveCountAsync(0);
        await Expect(detail.Locator("a")).ToHaveCountAsync(0);
        await Expect(detail).ToContainTextAsync("[open](javascript:window.__consolePwned=3)");
        await Expect(_page.Locator("#explanation tr[data-finding='PAIN']")).ToContainTextAsync("<img src=x onerror=");
        await Expect(detail.Locator("strong").First).ToHaveTextAsync("Replace with MRI without contrast", new() { Timeout = 1000 });
        Assert.That(await _page.EvaluateAsync<bool>("() => window.__consolePwned === undefined"), Is.True, "nothing ran");
        Assert.That(_errors, Is.Empty);
    }

    [Test]
    public async Task A_refused_request_shows_the_status_the_field_and_the_keys_that_failed()
    {
        var request = Json.Load(SampleFiles.FullPath($"cases/{C1}.request.json"));
        request.AsObject().Remove("prefetch");
        request["fhirServer"] = "https://fhir.example.org/r4";
        await _page.Locator("#request").FillAsync(request.ToJsonString());
        await _page.Locator("#send").ClickAsync();

        await Expect(_page.Locator("#status")).ToHaveAttributeAsync("data-status", "412");
        await Expect(_page.Locator("#cards .refusal")).ToContainTextAsync("Refused: HTTP 412");
        await Expect(_page.Locator("#refusal")).ToContainTextAsync("could not be fetched from fhirServer");
        await Expect(_page.Locator("#prefetch-keys tr[data-source='failed']")).ToHaveCountAsync(10);
    }
}
