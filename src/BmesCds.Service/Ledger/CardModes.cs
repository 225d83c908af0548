using BmesCds.CdsHooks.Discovery;
using BmesCds.Ledger.Records;
using BmesCds.Service.Hosting;

namespace BmesCds.Service.Ledger;

/// <summary>
/// Live or shadow, per service: `Cards:Mode` for every service, `Cards:Services:{serviceId}:Mode` for one. In shadow mode
/// the service evaluates and records every card but answers `{"cards": []}`: a site can run it silently and compare.
/// </summary>
public sealed class CardModes
{
    private readonly CardMode _default;
    private readonly Dictionary<string, CardMode> _byService;

    private CardModes(CardMode defaultMode, Dictionary<string, CardMode> byService)
    {
        _default = defaultMode;
        _byService = byService;
    }

    public CardMode For(string serviceId) => _byService.GetValueOrDefault(serviceId, _default);

    public bool AnyShadow => _default == CardMode.Shadow || _byService.ContainsValue(CardMode.Shadow);

    /// <summary>Reads the "Cards" section; an unknown mode or service id stops the start with a message naming it.</summary>
    public static CardModes From(IConfiguration configuration)
    {
        var cards = configuration.GetSection("Cards");
        var byService = new Dictionary<string, CardMode>(StringComparer.Ordinal);
        foreach (var service in cards.GetSection("Services").GetChildren())
        {
            if (CdsServiceCatalogue.Find(service.Key) is null)
            {
                throw new StartupConfigurationException(
                    $"Cards:Services:{service.Key} names no CDS service (known: {string.Join(", ", CdsServiceCatalogue.All.Select(s => s.Id))}).");
            }

            if (service["Mode"] is { } mode)
            {
                byService[service.Key] = Parse(mode, $"Cards:Services:{service.Key}:Mode");
            }
        }

        return new CardModes(cards["Mode"] is { } global ? Parse(global, "Cards:Mode") : CardMode.Live, byService);
    }

    private static CardMode Parse(string value, string key) =>
        Enum.TryParse<CardMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new StartupConfigurationException($"{key} must be Live or Shadow, not '{value}'.");
}
