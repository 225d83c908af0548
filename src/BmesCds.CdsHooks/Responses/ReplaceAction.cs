namespace BmesCds.CdsHooks.Responses;

/// <summary>
/// How a suggestion to replace a draft order is written (`Cards:ReplaceAction`, per client
/// `Auth:TrustedClients:N:ReplaceAction`). Both are correct CDS Hooks; EHRs differ in which actions they apply.
/// </summary>
public enum ReplaceAction
{
    /// <summary>Two actions: delete the draft order (by resourceId), create the proposed order.</summary>
    DeleteAndCreate,

    /// <summary>One action: update the draft order in place into the proposed order (the CDS Hooks sandbox's PAMA screen).</summary>
    Update,
}
