using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

// Usage: BlazorScriptExtractor <assembly> <resource name> <output file>
// Writes one embedded (manifest) resource of a .NET assembly to a file, without loading the assembly.
if (args is not [var assemblyPath, var resourceName, var outputPath])
{
    Console.Error.WriteLine("usage: BlazorScriptExtractor <assembly> <resource name> <output file>");
    return 2;
}

using var peReader = new PEReader(File.OpenRead(assemblyPath));
var metadata = peReader.GetMetadataReader();

foreach (var handle in metadata.ManifestResources)
{
    var resource = metadata.GetManifestResource(handle);
    if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, resourceName))
    {
        continue;
    }

    // An embedded resource lives in the CLI resources directory: at its Offset, a 4-byte length, then the bytes.
    var resourcesDirectory = peReader.PEHeaders.CorHeader!.ResourcesDirectory;
    var reader = peReader.GetSectionData(resourcesDirectory.RelativeVirtualAddress).GetReader();
    reader.Offset = checked((int)resource.Offset);
    var length = reader.ReadInt32();
    var content = reader.ReadBytes(length);

    // Write next to the target and rename, so a concurrent build or a running server never sees half a file.
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
    var temporaryPath = $"{outputPath}.{Environment.ProcessId}.tmp";
    File.WriteAllBytes(temporaryPath, content);
    File.Move(temporaryPath, outputPath, overwrite: true);

    Console.WriteLine($"BlazorScriptExtractor: wrote {content.Length} bytes of {resourceName} to {outputPath}");
    return 0;
}

Console.Error.WriteLine($"BlazorScriptExtractor: error: {assemblyPath} has no embedded resource named {resourceName}");
return 1;
