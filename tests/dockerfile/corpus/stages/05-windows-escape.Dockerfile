# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR C:\src
COPY *.csproj .
RUN dotnet restore `
    --runtime win-x64
COPY . .
RUN dotnet publish -c Release -o C:\out --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\out .
ENTRYPOINT ["dotnet", "App.dll"]
