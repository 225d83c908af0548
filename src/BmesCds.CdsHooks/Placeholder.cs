namespace BmesCds.CdsHooks;
