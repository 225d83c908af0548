using BmesCds.CdsHooks.Responses;
using BmesCds.Service.Auth;

namespace BmesCds.Service.CdsServices;

/// <summary>
/// The replace action for one call: the authenticated client's own (<c>Auth:TrustedClients:N:ReplaceAction</c>, or
/// Update for the CDS Hooks sandbox preset), else <c>Cards:ReplaceAction</c>. With Auth:Mode Disabled there is no
/// client, so the Cards setting decides.
/// </summary>
public sealed class ReplaceActionSelector
{
    private readonly ReplaceAction _default;
    private readonly Func<string, ReplaceAction?> _perClient;

    public ReplaceActionSelector(CardOptions cards, IServiceProvider services)
    {
        _default = cards.ReplaceAction;
        var registry = services.GetService<TrustedClientRegistry>();
        _perClient = issuer => registry?.Find(issuer)?.ReplaceAction;
    }

    public ReplaceAction For(HttpContext context) =>
        context.Features.Get<CdsClientIdentity>() is { } client && _perClient(client.Issuer) is { } own ? own : _default;
}
